"""Dates that cannot lie: the contract's signature and the implementation start, the end of
implementation, closure while interim reports are owed, and waived or moved deadlines."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import Cast
from tests.workflow.helpers import snapshot
from twinflow.audit.models import AuditEvent
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.scheduler import run_pass
from twinflow.deadlines.waivers import move_deadline, waive_deadline
from twinflow.notifications.models import Notification
from twinflow.workflow.definition import load_text
from twinflow.workflow.errors import (
    Conflict,
    DefinitionError,
    GuardFailed,
    InvalidData,
    NotFound,
    NotPermitted,
)


def _iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _sign(make, cast, **data):
    """The coordinator asks to sign with these dates; the lead Member State signs last."""
    request = make.fire(cast.coordinator, cast.project, "sign_contract", data=data).approval
    return make.engine.decide(make.session, cast.france, request.id, "approve")


def _deadline(session, project, key) -> Deadline:
    return session.scalars(
        select(Deadline)
        .where(Deadline.project_id == project.id, Deadline.key == key)
        .order_by(Deadline.id.desc())
        .execution_options(populate_existing=True)
    ).first()


def _events(session, action) -> list[dict]:
    rows = session.scalars(select(AuditEvent).where(AuditEvent.action == action))
    return [json.loads(e.data) for e in rows]


# -- the contract's dates ------------------------------------------------------------------


def test_a_backdated_implementation_start_is_refused_naming_the_field(make, session, clock):
    cast = Cast(make)
    cast.to("contracting")
    before = snapshot(session, cast.project.id)
    with pytest.raises(InvalidData) as refused:
        make.fire(
            cast.coordinator,
            cast.project,
            "sign_contract",
            data={"implementation_start": _iso(clock.now() - timedelta(days=400))},
        )
    reason = refused.value.errors["data.implementation_start"][0]
    assert "too far in the past" in reason and "P30D" in reason
    assert refused.value.message.startswith("implementation_start: lies too far in the past")
    assert snapshot(session, cast.project.id) == before


def test_an_implementation_start_before_the_signature_is_refused(make, session, clock):
    cast = Cast(make)
    cast.to("contracting")
    before = snapshot(session, cast.project.id)
    signed, start = clock.now() - timedelta(days=2), clock.now() - timedelta(days=5)
    with pytest.raises(InvalidData) as refused:
        make.fire(
            cast.coordinator,
            cast.project,
            "sign_contract",
            data={"contract_signed_at": _iso(signed), "implementation_start": _iso(start)},
        )
    assert refused.value.errors == {
        "data.implementation_start": [
            f"cannot lie before the contract signature ({start:%Y-%m-%d %H:%M} UTC is before "
            f"{signed:%Y-%m-%d %H:%M} UTC)"
        ]
    }
    assert snapshot(session, cast.project.id) == before


def test_a_signature_dated_in_the_future_is_refused(make, session, clock):
    cast = Cast(make)
    cast.to("contracting")
    before = snapshot(session, cast.project.id)
    with pytest.raises(InvalidData) as refused:
        make.fire(
            cast.coordinator,
            cast.project,
            "sign_contract",
            data={"contract_signed_at": _iso(clock.now() + timedelta(days=1))},
        )
    assert list(refused.value.errors) == ["data.contract_signed_at"]
    assert "cannot be in the future" in refused.value.errors["data.contract_signed_at"][0]
    assert snapshot(session, cast.project.id) == before


def test_dates_within_the_tolerance_are_kept_as_given(make, session, clock):
    cast = Cast(make)
    cast.to("contracting")
    signed, start = clock.now() - timedelta(days=20), clock.now() - timedelta(days=19)
    result = _sign(make, cast, contract_signed_at=_iso(signed), implementation_start=_iso(start))
    assert result.applied and result.project.state == "implementation"
    assert (result.project.contract_signed_at, result.project.implementation_start) == (
        signed,
        start,
    )


def test_the_start_defaults_to_the_day_after_notification_the_last_signature(make, session, clock):
    cast = Cast(make)
    cast.to("contracting")
    request = make.fire(cast.coordinator, cast.project, "sign_contract").approval
    clock.advance(days=3)  # the lead Member State signs three days later
    make.engine.decide(session, cast.france, request.id, "approve")
    session.refresh(cast.project)
    assert cast.project.contract_signed_at == clock.now()
    assert cast.project.implementation_start == clock.now() + timedelta(days=1)


# -- the end of implementation -------------------------------------------------------------


def test_implementation_cannot_end_before_it_starts(make, session, clock):
    cast = Cast(make)
    cast.to("implementation")  # starts tomorrow
    before = snapshot(session, cast.project.id)
    with pytest.raises(GuardFailed) as refused:
        make.fire(cast.coordinator, cast.project, "end_implementation")
    assert refused.value.guard == "implementation_started"
    assert refused.value.message.startswith("implementation_end: the implementation period")
    assert "cannot end before it starts" in refused.value.message
    assert snapshot(session, cast.project.id) == before
    clock.set(cast.project.implementation_start + timedelta(days=40))
    ended = make.fire(cast.coordinator, cast.project, "end_implementation").project
    assert ended.state == "final_reporting"
    assert ended.implementation_start < ended.implementation_end == clock.now()


def test_a_final_report_due_after_the_execution_period_is_a_definition_error(repo_root):
    text = (repo_root / "workflows" / "twinning.yaml").read_text()
    assert "        after: P3M\n        reminders: [P30D, P14D, P3D, P0D]" in text
    late = text.replace(
        "        after: P3M\n        reminders: [P30D, P14D, P3D, P0D]",
        "        after: P4M\n        reminders: [P30D, P14D, P3D, P0D]",
    )
    with pytest.raises(DefinitionError) as refused:
        load_text(late, "late.yaml")
    assert "falls after the execution period" in str(refused.value)
    # A longer execution period in the rules makes the same deadline fit.
    load_text(late.replace("execution_extra_months: 3", "execution_extra_months: 4"), "x.yaml")


# -- closure and interim reports -----------------------------------------------------------


def test_closure_is_refused_while_interim_reports_are_owed_then_allowed_after_waivers(
    make, session, clock
):
    cast = Cast(make)
    project = make.project(cast.beneficiary, implementation_months=12)  # four quarters
    cast.project = project
    cast.to("final_reporting")
    cast.approve_report("interim", 1)
    cast.approve_final_report()
    before = snapshot(session, project.id)
    with pytest.raises(GuardFailed) as refused:
        make.fire(cast.coordinator, project, "approve_final_report")
    assert refused.value.guard == "interim_reports_settled"
    assert "owed and not approved: 2 (not drafted), 3 (not drafted), 4 (not drafted)" in (
        refused.value.message
    )
    assert snapshot(session, project.id) == before

    for number in (2, 3, 4):
        deadline = _deadline(session, project, f"interim_report#{number}")
        waive_deadline(
            session,
            cast.coordinator,
            project.id,
            deadline.id,
            "Activities of this quarter were postponed; covered by the final report.",
            now=clock.now(),
        )
    session.commit()
    assert make.fire(cast.coordinator, project, "approve_final_report").project.state == "closed"
    waivers = _events(session, "deadline_waived")
    assert [w["key"] for w in waivers] == [
        "interim_report#2",
        "interim_report#3",
        "interim_report#4",
    ]
    assert waivers[0]["before"]["status"] == "open" and waivers[0]["after"]["status"] == "waived"
    assert waivers[0]["reason"].startswith("Activities of this quarter were postponed")


def test_only_a_coordinator_waives_and_always_with_a_reason(make, session, clock):
    cast = Cast(make)
    project = cast.to("call_open")
    due = _deadline(session, project, "proposals_due")
    with pytest.raises(NotPermitted):
        waive_deadline(session, cast.beneficiary, project.id, due.id, "mine", now=clock.now())
    with pytest.raises(NotFound):  # a project it cannot see: as if there were none
        waive_deadline(session, cast.other_beneficiary, project.id, due.id, "x", now=clock.now())
    with pytest.raises(InvalidData) as refused:
        waive_deadline(session, cast.coordinator, project.id, due.id, "  ", now=clock.now())
    assert refused.value.errors == {"reason": ["a reason is required"]}
    assert _deadline(session, project, "proposals_due").status == "open"
    waive_deadline(session, cast.coordinator, project.id, due.id, "Re-issued", now=clock.now())
    session.commit()
    with pytest.raises(Conflict):
        waive_deadline(session, cast.coordinator, project.id, due.id, "again", now=clock.now())


# -- the scheduler ---------------------------------------------------------------------------


def test_a_waived_deadline_is_never_reminded_nor_escalated(
    make, session, clock, pass_settings, smtp_server
):
    waived_cast, control_cast = Cast(make), Cast(make)
    waived_cast.to("call_open")
    control_cast.to("call_open")
    waived = _deadline(session, waived_cast.project, "proposals_due")
    control = _deadline(session, control_cast.project, "proposals_due")
    run_pass(session, clock, pass_settings)  # the "14 days" reminders of both go out now
    waive_deadline(
        session,
        waived_cast.coordinator,
        waived_cast.project.id,
        waived.id,
        "The fiche is withdrawn pending a new strategy.",
        now=clock.now(),
    )
    session.commit()
    told_before = session.scalars(
        select(Notification.key).where(Notification.key.startswith(f"deadline:{waived.id}:"))
    ).all()
    for moment in (waived.due_at - timedelta(days=3), waived.due_at, waived.due_at + timedelta(30)):
        clock.set(moment)
        run_pass(session, clock, pass_settings)
    told_after = session.scalars(
        select(Notification.key).where(Notification.key.startswith(f"deadline:{waived.id}:"))
    ).all()
    assert sorted(told_after) == sorted(told_before)  # nothing since the waiver
    control_labels = {
        k.split(":")[2] + ":" + k.split(":")[3]
        for k in session.scalars(
            select(Notification.key).where(Notification.key.startswith(f"deadline:{control.id}:"))
        )
    }
    assert {"reminder:3d", "reminder:0d", "escalation:4"} <= control_labels
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert any(waived_cast.project.reference in s for s in subjects)  # the early reminder
    assert not any(
        waived_cast.project.reference in s and ("Overdue" in s or "(in 3 days)" in s)
        for s in subjects
    )


def test_a_moved_deadline_is_due_on_its_new_date_and_reminded_for_it(
    make, session, clock, pass_settings
):
    cast = Cast(make)
    project = cast.to("call_open")
    old = _deadline(session, project, "proposals_due")
    new_due = old.due_at + timedelta(days=21)
    moved = move_deadline(
        session,
        cast.coordinator,
        project.id,
        old.id,
        _iso(new_due),
        "Holiday season: Member States asked for three more weeks.",
        now=clock.now(),
    )
    session.commit()
    assert _deadline(session, project, "proposals_due").id == moved.id
    session.refresh(old)
    assert (old.status, moved.status, moved.due_at) == ("superseded", "open", new_due)
    event = _events(session, "deadline_moved")[0]
    assert event["before"]["due_at"] == old.due_at.isoformat()
    assert event["after"]["due_at"] == new_due.isoformat()
    clock.set(new_due - timedelta(days=3))
    run_pass(session, clock, pass_settings)
    keys = session.scalars(
        select(Notification.key).where(Notification.key.startswith(f"deadline:{moved.id}:"))
    ).all()
    assert {k.split(":")[2] for k in keys} == {"reminder"} and keys
    with pytest.raises(InvalidData) as refused:
        move_deadline(
            session,
            cast.coordinator,
            project.id,
            moved.id,
            "2027-01-01T00:00:00",
            "x",
            now=clock.now(),
        )
    assert refused.value.errors == {"due_at": ["needs a time zone (UTC: end it with Z)"]}
