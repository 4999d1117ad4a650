"""Every deadline of both lifecycles, walked with an injected clock: created on entering its
state with the right due date, reminded at each offset, escalated to the coordinators while
overdue, and closed when met."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.deadlines.journey import Journey, expected_labels
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.operations import record_deadline_met
from twinflow.deadlines.scheduler import run_pass
from twinflow.notifications.models import Notification, OutboxEmail
from twinflow.workflow.durations import add_months

STAGES = ["call_open", "selection", "work_plan", "contracting", "implementation", "final_reporting"]


def _quarterly(name: str, quarters: int) -> list[str]:
    return [f"{name}#{i}" for i in range(1, quarters + 1)]


def _expected_keys(workflow: str) -> dict[str, set[str]]:
    quarters = 8 if workflow == "twinning" else 2  # 24 and 8 months of implementation
    return {
        "call_open": {"proposals_due"},
        "selection": {"selection_meeting", "selection_decision"}
        if workflow == "twinning"
        else {"selection_decision"},
        "work_plan": {"work_plan_agreed"},
        "contracting": {"contract_signed"},
        "implementation": {
            *_quarterly("interim_report", quarters),
            *_quarterly("steering_committee", quarters),
            "implementation_ends",
        },
        "final_reporting": {"final_report"},
    }


def _expected_due(workflow, project, key: str, entered):
    base, _, n = key.partition("#")
    start, end = project.implementation_start, project.implementation_end
    return {
        "proposals_due": lambda: project.proposal_deadline,
        # Counted from the proposal deadline, not from closing the call (issue 14).
        "selection_meeting": lambda: project.proposal_deadline + timedelta(weeks=2),
        "selection_decision": lambda: entered + timedelta(weeks=5 if workflow == "twinning" else 3),
        "work_plan_agreed": lambda: add_months(entered, 3),
        "contract_signed": lambda: add_months(entered, 2),
        "interim_report": lambda: add_months(add_months(start, 3 * int(n)), 1),
        "steering_committee": lambda: add_months(start, 3 * int(n)),
        "implementation_ends": lambda: end,
        "final_report": lambda: add_months(end, 3),
    }[base]()


def _recipients(journey, parties) -> set[int]:
    c = journey.cast
    users = {
        "coordinator": {c.coordinator.id},
        "beneficiary": {c.beneficiary.id},
        "member_state": {c.france.id, c.germany.id},
        "lead_member_state": {c.france.id},
    }
    return set().union(*(users[p] for p in parties))


@pytest.mark.slow
@pytest.mark.parametrize("workflow", ["twinning", "twinning_light"])
def test_every_deadline_is_created_reminded_escalated_and_closed_when_met(
    make, session, clock, pass_settings, smtp_server, workflow
):
    journey = Journey(make, workflow, pass_settings)
    project = journey.project
    expected_keys = _expected_keys(workflow)

    def meet_reports_after_two_escalations():
        for d in journey.open_deadlines():
            if d.met_on == "record" and d.last_alert == "escalation:2":
                record_deadline_met(session, project.id, d.key, now=clock.now())
                session.commit()

    for stage in STAGES:
        before = [d.id for d in journey.open_deadlines()]
        entered = clock.now()
        journey.enter(stage)
        for deadline_id in before:
            deadline = session.get(Deadline, deadline_id, populate_existing=True)
            if deadline.met_on == "exit":
                assert (deadline.status, deadline.closed_at) == ("met", entered), deadline
        created = journey.open_deadlines(stage)
        assert {d.key for d in created} == expected_keys[stage]
        for d in created:
            assert d.due_at == _expected_due(workflow, project, d.key, entered), d.key
        # Stay in the state until its last deadline is two escalations overdue.
        horizon = max(d.due_at + 2 * timedelta(days=d.escalate_every_days) for d in created)
        journey.run_until(horizon, on_pass=meet_reports_after_two_escalations)

    journey.enter("closed")
    run_pass(session, clock, pass_settings)  # delivers the e-mail of the last transition

    deadlines = session.scalars(
        select(Deadline).where(Deadline.project_id == project.id).order_by(Deadline.id)
    ).all()
    assert {d.status for d in deadlines} == {"met"}
    assert sum(len(keys) for keys in expected_keys.values()) == len(deadlines)
    alerts = journey.alerts()
    for d in deadlines:
        assert set(alerts[d.id]) == expected_labels(d, d.closed_at), d.key
        for label, told in alerts[d.id].items():
            parties = ["coordinator"] if label.startswith("escalation") else d.notify_parties
            assert told == _recipients(journey, parties), (d.key, label)
        assert any(label.startswith("escalation") for label in alerts[d.id]), d.key

    # Every notification left as exactly one e-mail, and the server got each one once.
    notifications = session.scalar(select(func.count(Notification.id)))
    sent = session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.status == "sent"))
    assert notifications == sent == len(smtp_server.messages)
    assert len(set(smtp_server.message_ids())) == sent
