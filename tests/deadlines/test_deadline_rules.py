"""How deadlines follow the project: suspension, cancellation, re-circulation, ending early,
reports recorded, a scheduler that was down, a pass run twice."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import Cast
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.operations import record_deadline_met
from twinflow.deadlines.reads import open_deadlines
from twinflow.deadlines.scheduler import run_pass
from twinflow.notifications.models import Notification
from twinflow.workflow.errors import InvalidData, NotFound


def _deadline(session, project, key) -> Deadline:
    return session.scalars(
        select(Deadline)
        .where(Deadline.project_id == project.id, Deadline.key == key)
        .order_by(Deadline.id.desc())
        .execution_options(populate_existing=True)
    ).first()


def _reminders_of(session, deadline) -> list[str]:
    keys = session.scalars(
        select(Notification.key).where(Notification.key.startswith(f"deadline:{deadline.id}:"))
    )
    return sorted({k.split(":")[2] + ":" + k.split(":")[3] for k in keys})


def test_a_second_pass_at_the_same_moment_tells_nobody_twice(make, session, clock, pass_settings):
    cast = Cast(make)
    project = cast.to("call_open")
    due = _deadline(session, project, "proposals_due")
    clock.set(due.due_at - timedelta(days=14))
    first = run_pass(session, clock, pass_settings)
    again = run_pass(session, clock, pass_settings)
    assert first.alerts.notifications == 4  # coordinator, beneficiary, two Member States
    assert again.alerts.notifications == 0
    # Even with next_alert_at forced back, the unique key refuses a repeat.
    due.next_alert_at = clock.now()
    session.commit()
    assert run_pass(session, clock, pass_settings).alerts.notifications == 0


def test_a_scheduler_down_for_weeks_sends_only_the_alert_that_matters_now(
    make, session, clock, pass_settings
):
    cast = Cast(make)
    project = cast.to("call_open")
    due = _deadline(session, project, "proposals_due")
    clock.set(due.due_at + timedelta(days=8))  # every reminder missed, a week overdue
    run_pass(session, clock, pass_settings)
    assert _reminders_of(session, due) == ["escalation:1"]
    assert _deadline(session, project, "proposals_due").next_alert_at == due.due_at + timedelta(
        days=14
    )


def test_a_deadline_set_closer_than_its_first_reminder_is_reminded_at_once(
    make, session, clock, pass_settings
):
    cast = Cast(make)
    make.fire(cast.beneficiary, cast.project, "submit_fiche")
    deadline = clock.now() + timedelta(days=5)
    make.fire(
        cast.coordinator,
        cast.project,
        "approve_fiche",
        data={"proposal_deadline": deadline.isoformat()},
    )
    due = _deadline(session, cast.project, "proposals_due")
    assert due.next_alert_at == clock.now()
    run_pass(session, clock, pass_settings)
    assert _reminders_of(session, due) == ["reminder:14d"]
    subject = session.scalar(
        select(Notification.subject).where(Notification.key.startswith(f"deadline:{due.id}:"))
    )
    assert subject.endswith("Reminder: Member State proposals due (in 5 days)")


def test_suspension_silences_implementation_deadlines_and_resuming_wakes_them_without_copies(
    make, session, clock, pass_settings
):
    cast = Cast(make)
    project = cast.to("implementation")
    before = {d.key: d.id for d in open_deadlines(session, project.id)}
    make.fire(cast.coordinator, project, "suspend", comment="Elections")
    silent = open_deadlines(session, project.id)
    assert {d.key: d.id for d in silent} == before
    assert all(d.next_alert_at is None for d in silent)
    clock.advance(days=200)
    assert run_pass(session, clock, pass_settings).alerts.deadlines == 0

    due = _deadline(session, project, "interim_report#1").due_at
    make.fire(cast.coordinator, project, "resume", comment="Back to work")
    after = open_deadlines(session, project.id)
    assert {d.key: d.id for d in after} == before  # the same rows, none duplicated
    assert all(d.next_alert_at is not None for d in after)
    # The first report would have fallen overdue during the suspension; the hold moved it.
    first = _deadline(session, project, "interim_report#1")
    assert first.due_at == due + timedelta(days=200)
    run_pass(session, clock, pass_settings)
    assert _reminders_of(session, first) == []
    clock.set(first.due_at + timedelta(days=7, hours=1))
    run_pass(session, clock, pass_settings)
    assert _reminders_of(session, first) == ["escalation:1"]  # one, not a backlog


def test_cancelling_a_project_cancels_its_open_deadlines(make, session, clock, pass_settings):
    cast = Cast(make)
    project = cast.to("selection")
    make.fire(cast.coordinator, project, "cancel", comment="Funding withdrawn")
    statuses = session.scalars(
        select(Deadline.status).where(
            Deadline.project_id == project.id, Deadline.key != "proposals_due"
        )
    ).all()
    assert statuses and set(statuses) == {"cancelled"}
    assert _deadline(session, project, "proposals_due").status == "met"
    clock.advance(days=100)
    assert run_pass(session, clock, pass_settings).alerts.deadlines == 0


def test_recirculating_the_fiche_replaces_the_proposal_deadline(make, session, clock):
    cast = Cast(make)
    project = cast.to("call_open")
    old = _deadline(session, project, "proposals_due")
    clock.set(project.proposal_deadline + timedelta(days=1))
    new_deadline = clock.now() + timedelta(weeks=6)
    make.fire(
        cast.coordinator,
        project,
        "recirculate",
        data={"proposal_deadline": new_deadline.isoformat()},
    )
    session.refresh(old)
    new = _deadline(session, project, "proposals_due")
    assert old.status == "superseded"
    assert (new.status, new.due_at) == ("open", new_deadline)


def test_ending_implementation_early_drops_reports_for_quarters_that_never_began(
    make, session, clock
):
    cast = Cast(make)
    project = cast.to("implementation")
    clock.set(project.implementation_start + timedelta(days=200))  # inside the third quarter
    make.fire(cast.coordinator, project, "end_implementation")
    reports = {
        d.key: d.status
        for d in session.scalars(
            select(Deadline).where(
                Deadline.project_id == project.id, Deadline.key.startswith("interim_report")
            )
        )
    }
    assert [k for k, s in reports.items() if s == "open"] == [
        "interim_report#1",
        "interim_report#2",
    ]
    assert all(s == "superseded" for k, s in reports.items() if k >= "interim_report#3")
    assert _deadline(session, project, "implementation_ends").status == "met"


def test_recording_a_report_meets_the_earliest_open_one_and_stops_its_alerts(
    make, session, clock, pass_settings
):
    cast = Cast(make)
    project = cast.to("implementation")
    met = record_deadline_met(
        session, project.id, "interim_report", now=clock.now(), actor=cast.beneficiary
    )
    session.commit()
    assert (met.key, met.status, met.next_alert_at) == ("interim_report#1", "met", None)
    exact = record_deadline_met(session, project.id, "interim_report#3", now=clock.now())
    session.commit()
    assert exact.key == "interim_report#3"
    left = [d.key for d in open_deadlines(session, project.id) if d.key.startswith("interim")]
    assert left[:2] == ["interim_report#2", "interim_report#4"]
    clock.set(met.due_at + timedelta(days=30))
    run_pass(session, clock, pass_settings)
    assert _reminders_of(session, met) == []


def test_recording_a_report_no_deadline_waits_for_changes_nothing(make, session, clock):
    cast = Cast(make)
    project = cast.to("implementation")
    with pytest.raises(NotFound):
        record_deadline_met(session, project.id, "selection_decision", now=clock.now())
    with pytest.raises(InvalidData) as error:
        record_deadline_met(session, project.id, "", now=clock.now())
    assert "key" in error.value.errors
    session.rollback()
    assert (
        session.scalar(
            select(func.count(Deadline.id)).where(
                Deadline.status == "met", Deadline.met_on == "record"
            )
        )
        == 0
    )
