"""The standard and Light lifecycles walked end to end, with every role's refusals."""

from datetime import timedelta

import pytest

from tests.factories import Cast
from tests.workflow.helpers import snapshot
from twinflow.audit.operations import verify_chain
from twinflow.workflow.errors import InvalidInState, NotPermitted, WorkflowError

PATH = [
    "fiche_review",
    "call_open",
    "selection",
    "work_plan",
    "contracting",
    "implementation",
    "final_reporting",
    "closed",
]


def _users(cast):
    return {
        "coordinator": cast.coordinator,
        "beneficiary": cast.beneficiary,
        "other_beneficiary": cast.other_beneficiary,
        "france": cast.france,
        "germany": cast.germany,
        "admin": cast.admin,
    }


def _may_fire(definition, cast, user_key, trigger, parties_by_user):
    specs = definition.transitions_named(trigger)
    return any(p in s.parties for s in specs for p in parties_by_user[user_key])


@pytest.mark.parametrize("workflow", ["twinning", "twinning_light"])
def test_every_role_is_refused_every_trigger_it_may_not_fire_at_every_stage(
    make, session, engine, workflow
):
    cast = Cast(make, workflow)
    definition = engine.definition_of(session, cast.project)
    users = _users(cast)
    for stage in [None] + PATH[:-1]:
        if stage:
            cast.to(stage)
        project = cast.project
        parties = {k: engine.parties(session, u, project) for k, u in users.items()}
        for trigger in definition.triggers:
            for key, user in users.items():
                spec = definition.transition(trigger, project.state)
                allowed_here = spec is not None and any(p in spec.parties for p in parties[key])
                if allowed_here:
                    continue  # the path below fires the allowed ones
                before = snapshot(session, project.id)
                with pytest.raises(WorkflowError) as refused:
                    engine.fire(session, user, project.id, trigger, comment="trying")
                expected = (
                    InvalidInState
                    if _may_fire(definition, cast, key, trigger, parties)
                    else NotPermitted
                )
                assert isinstance(refused.value, expected), (stage, trigger, key, refused.value)
                assert snapshot(session, project.id) == before


@pytest.mark.parametrize("workflow", ["twinning", "twinning_light"])
def test_a_project_walks_the_whole_lifecycle_to_closed_with_the_dates_it_needs(
    make, session, workflow
):
    cast = Cast(make, workflow)
    project = cast.to("closed")
    assert project.state == "closed"
    assert project.circulated_at is not None and project.proposal_deadline is not None
    assert project.implementation_start == project.contract_signed_at + timedelta(days=1)
    months = 24 if workflow == "twinning" else 8
    assert project.implementation_end.month == (
        (project.implementation_start.month - 1 + months) % 12 + 1
    )
    assert project.closed_at is not None
    result = verify_chain(session)
    assert result.ok and result.checked > 15


def test_the_admin_reads_everything_but_fires_nothing(make, session, engine):
    cast = Cast(make)
    assert engine.parties(session, cast.admin, cast.project) == []
    with pytest.raises(NotPermitted):
        make.fire(cast.admin, cast.project, "cancel", comment="admins do not act")


def test_a_beneficiary_of_another_administration_cannot_act_on_the_project(make):
    cast = Cast(make)
    with pytest.raises(NotPermitted):
        make.fire(cast.other_beneficiary, cast.project, "submit_fiche")


def test_returning_a_fiche_needs_a_comment_and_sends_it_back_to_drafting(make, session):
    from twinflow.workflow.errors import InvalidData

    cast = Cast(make)
    cast.to("fiche_review")
    with pytest.raises(InvalidData) as missing:
        make.fire(cast.coordinator, cast.project, "return_fiche")
    assert "comment" in missing.value.errors
    make.fire(cast.coordinator, cast.project, "return_fiche", comment="Add indicators.")
    session.refresh(cast.project)
    assert cast.project.state == "fiche_drafting"


def test_suspension_and_resumption_need_comments_and_return_to_implementation(make, session):
    cast = Cast(make)
    project = cast.to("implementation")
    make.fire(cast.coordinator, project, "suspend", comment="Elections")
    assert project.state == "suspended"
    make.fire(cast.coordinator, project, "resume", comment="Back to work")
    assert project.state == "implementation"


def test_cancelling_is_possible_from_every_non_terminal_state_and_ends_everything(make, session):
    for stage in [None, *PATH[:-1]]:
        cast = Cast(make)
        if stage:
            cast.to(stage)
        make.fire(cast.coordinator, cast.project, "cancel", comment="Priorities changed")
        assert cast.project.state == "cancelled"
        with pytest.raises(InvalidInState):
            make.fire(cast.coordinator, cast.project, "cancel", comment="again")
