"""The dashboard asks the engine what each of several projects allows in one go (options_of,
the guards' shared reads made once for all): every answer must be the one options() gives for
that project alone, less the steps the caller said it will not show."""

from datetime import timedelta

from tests.factories import Cast
from twinflow.web.project_page import detours


def _said(options) -> list[tuple]:
    return [(o.spec.trigger, o.parties, o.blocked_by, o.pending_approval_id) for o in options]


def _world(make):
    """Projects at the stages whose steps have guards (the call, the selection with and without
    a marked proposal, the work plan's reserve, the contract), by the same cast of users."""
    cast = Cast(make)
    projects = {}
    for stage in ("call_open", "selection", "work_plan", "contracting", "implementation"):
        cast.project = make.project(cast.beneficiary, title=f"At {stage}")
        projects[stage] = cast.to(stage)
    cast.project = make.project(cast.beneficiary, title="Marked in selection")
    marked = projects["marked"] = cast.to("selection")
    make.select(cast.coordinator, marked, cast._any_proposal())
    cast.project = make.project(cast.beneficiary, title="Call closed, nobody bid")
    empty = projects["empty call"] = cast.to("call_open")
    make.clock.set(empty.proposal_deadline + timedelta(minutes=1))
    light = make.project(cast.beneficiary, workflow="twinning_light", title="Light")
    make.fire(cast.beneficiary, light, "submit_fiche")
    projects["light"] = light
    return cast, list(projects.values())


def test_options_of_several_projects_says_what_options_says_of_each(make, session, engine):
    cast, projects = _world(make)
    pending = {p.id: engine.pending_requests(session, p.id) for p in projects}
    seen = set()
    for user in (cast.coordinator, cast.beneficiary, cast.france, cast.germany):
        together = engine.options_of(session, user, projects, pending, skip=detours)
        assert set(together) == {p.id for p in projects}
        for project in projects:
            skipped = detours(engine.definition_of(session, project))
            alone = [
                o for o in engine.options(session, user, project) if o.spec.trigger not in skipped
            ]
            assert _said(together[project.id]) == _said(alone), (user.email, project.title)
            seen |= {(o.spec.trigger, o.available) for o in alone}
    # The world reaches the guards whose reads are shared, both passing and refusing.
    assert {("select_partner", True), ("select_partner", False)} <= seen
    assert ("take_up_reserve", False) in seen and ("close_call", False) in seen


def test_options_of_leaves_out_only_the_steps_it_is_told_to(make, session, engine):
    cast, projects = _world(make)
    pending = {p.id: engine.pending_requests(session, p.id) for p in projects}
    everything = engine.options_of(session, cast.coordinator, projects, pending)
    for project in projects:
        triggers = [o.spec.trigger for o in everything[project.id]]
        assert triggers == [
            o.spec.trigger for o in engine.options(session, cast.coordinator, project)
        ]
        assert "cancel" in triggers
