"""A hold at any stage after the call opens (real case: a project awarded, then suspended by
the Delegation before its contract): `suspend` from call_open, selection, work_plan,
contracting and implementation; `resume` goes back to the state it left. While on hold its
deadlines never remind nor escalate; on resume each is later by the hold's length (and so are
the project's own dates they count from), and the audit trail says what moved."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import Cast
from twinflow.audit.models import AuditEvent
from twinflow.deadlines.reads import open_deadlines
from twinflow.deadlines.scheduler import run_pass
from twinflow.notifications.models import Notification
from twinflow.workflow.errors import InvalidData, InvalidInState

HOLD = timedelta(days=150, hours=5)
STAGES = ["call_open", "selection", "work_plan", "contracting", "implementation"]


def _alerts(session, project) -> int:
    return len(
        session.scalars(
            select(Notification.id).where(
                Notification.project_id == project.id,
                Notification.key.startswith("deadline:"),
            )
        ).all()
    )


@pytest.mark.parametrize("stage", STAGES)
def test_a_project_suspended_at_each_stage_resumes_there_with_its_deadlines_moved_by_the_hold(
    make, session, clock, pass_settings, stage
):
    cast = Cast(make)
    project = cast.to(stage)
    run_pass(session, clock, pass_settings)
    told_before = _alerts(session, project)
    due = {d.key: d.due_at for d in open_deadlines(session, project.id)}
    assert due, "each of these stages has deadlines of its own"
    dates = (project.proposal_deadline, project.implementation_end)

    with pytest.raises(InvalidData) as refused:
        make.fire(cast.coordinator, project, "suspend")
    assert "comment" in refused.value.errors
    make.fire(cast.coordinator, project, "suspend", comment="Suspended by the Delegation")
    assert (project.state, project.held_from) == ("suspended", stage)
    # The hold lasts past every due date: on any day of it, nobody is reminded or escalated.
    for _ in range(5):
        clock.advance(days=30, hours=1)
        assert run_pass(session, clock, pass_settings).alerts.deadlines == 0
    clock.set(project.held_since + HOLD)
    assert run_pass(session, clock, pass_settings).alerts.deadlines == 0
    assert _alerts(session, project) == told_before

    make.fire(cast.coordinator, project, "resume", comment="Lifted")
    session.refresh(project)
    assert (project.state, project.held_from, project.held_since) == (stage, None, None)
    after = open_deadlines(session, project.id)
    assert {d.key: d.due_at for d in after} == {k: v + HOLD for k, v in due.items()}
    assert all(d.next_alert_at is not None for d in after)
    # The call's deadline moves with a call on hold, the implementation end with a running
    # implementation; other dates stay.
    if stage == "call_open":
        dates = (dates[0] + HOLD, dates[1])
    if stage == "implementation":
        dates = (dates[0], dates[1] + HOLD)
    assert (project.proposal_deadline, project.implementation_end) == dates
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.project_id == project.id, AuditEvent.action == "deadlines_moved_by_hold"
        )
    ).one()
    data = json.loads(event.data)
    assert (event.actor_id, data["held_from"], data["hold_days"]) == (
        cast.coordinator.id,
        stage,
        round(HOLD.total_seconds() / 86400, 2),
    )
    assert {m["key"] for m in data["deadlines"]} == set(due)


def test_an_awarded_project_suspended_before_its_contract_goes_on_to_sign_it_after_the_hold(
    make, session, engine, clock
):
    cast = Cast(make)
    project = cast.to("work_plan")  # awarded: the partner is selected
    make.fire(cast.coordinator, project, "suspend", comment="Political situation")
    with pytest.raises(InvalidInState):
        make.fire(cast.beneficiary, project, "submit_contract")
    clock.advance(days=90)
    make.fire(cast.coordinator, project, "resume", comment="Situation normalised")
    assert project.state == "work_plan"
    cast.to("implementation")
    assert project.state == "implementation"


def test_only_a_coordinator_suspends_and_nothing_is_suspended_before_the_call(make, session):
    from twinflow.workflow.errors import NotPermitted

    cast = Cast(make)
    with pytest.raises(InvalidInState):
        make.fire(cast.coordinator, cast.project, "suspend", comment="Too early")
    project = cast.to("selection")
    with pytest.raises(NotPermitted):
        make.fire(cast.beneficiary, project, "suspend", comment="Ours")
    assert project.state == "selection"


def test_a_project_on_an_edition_before_holds_keeps_that_editions_suspension(
    make, session, clock, pass_settings
):
    """Its resume names implementation: deadlines silent while suspended, woken on return,
    their dates as they were (what the edition promised when the project started on it)."""
    from tests.workflow.editions import edition

    cast = Cast(make)
    project = cast.to("implementation")
    project.workflow_version = edition(
        session,
        {
            "source: [call_open, selection, work_plan, contracting, implementation]\n": (
                "source: implementation\n"
            ),
            "    dest: previous\n": "    dest: implementation\n",
        },
    )
    session.commit()
    due = {d.key: d.due_at for d in open_deadlines(session, project.id)}
    make.fire(cast.coordinator, project, "suspend", comment="Elections")
    # As the upgrade (0017) fills in for a project suspended before it.
    project.held_from, project.held_since = "implementation", clock.now()
    session.commit()
    clock.advance(days=200)
    assert run_pass(session, clock, pass_settings).alerts.deadlines == 0
    make.fire(cast.coordinator, project, "resume", comment="Back to work")
    after = open_deadlines(session, project.id)
    assert {d.key: d.due_at for d in after} == due
    assert all(d.next_alert_at is not None for d in after)
    assert (project.state, project.held_from, project.held_since) == ("implementation", None, None)
