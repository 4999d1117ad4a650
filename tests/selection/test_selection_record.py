"""The selection leaves its record: eligibility first, then the meeting with attendance,
minutes, scores and a reserve; recording the meeting meets its deadline."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.selection.conftest import all_eligible, meeting_values, open_call_with_bids
from twinflow.audit.models import AuditEvent
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.scheduler import run_pass
from twinflow.notifications.models import Notification
from twinflow.selection import operations as selection
from twinflow.workflow.errors import Conflict, GuardFailed, InvalidData, NotPermitted


def _meeting_deadline(session, project) -> Deadline:
    return session.scalars(
        select(Deadline).where(
            Deadline.project_id == project.id, Deadline.key == "selection_meeting"
        )
    ).one()


def _escalations(session, deadline) -> list[str]:
    return list(
        session.scalars(
            select(Notification.key).where(
                Notification.key.like(f"deadline:{deadline.id}:escalation:%")
            )
        )
    )


def test_the_meeting_is_due_two_weeks_after_the_proposal_deadline_not_after_the_call_closed(
    session, bidding
):
    project = bidding.project
    deadline = _meeting_deadline(session, project)
    assert deadline.due_at == project.proposal_deadline + timedelta(weeks=2)
    assert deadline.met_on == "record"


def test_the_meeting_cannot_be_recorded_before_every_proposal_is_found_eligible_or_not(
    session, engine, clock, bidding, minutes
):
    c, project = bidding.cast, bidding.project
    values = meeting_values(bidding, minutes(bidding), clock.now().date())
    selection.record_eligibility(
        session, engine, c.coordinator, project.id, bidding.proposals["FR"].id, {"eligible": True}
    )
    with pytest.raises(Conflict, match="eligibility of every proposal.*DE, LT"):
        selection.record_meeting(session, engine, c.coordinator, project.id, values)
    assert selection.record_of(session, project) is None
    assert _meeting_deadline(session, project).status == "open"


def test_a_proposal_found_not_eligible_must_say_why(session, engine, bidding):
    c, project, lt = bidding.cast, bidding.project, bidding.proposals["LT"]
    with pytest.raises(InvalidData) as refused:
        selection.record_eligibility(
            session, engine, c.coordinator, project.id, lt.id, {"eligible": False, "reason": " "}
        )
    assert list(refused.value.details) == ["reason"]
    assert selection.assessments_of(session, project) == {}
    selection.record_eligibility(
        session, engine, c.coordinator, project.id, lt.id,
        {"eligible": False, "reason": "Not a public administration nor a mandated body"},
    )  # fmt: skip
    found = selection.assessments_of(session, project)[lt.id]
    assert (found.is_eligible, found.eligibility_reason) == (
        False,
        "Not a public administration nor a mandated body",
    )
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "proposal_eligibility_recorded")
    ).one()
    assert '"member_state":"LT"' in event.data


def test_only_a_coordinator_records_the_selection(session, engine, bidding):
    c, project = bidding.cast, bidding.project
    with pytest.raises(NotPermitted):
        selection.record_eligibility(
            session, engine, c.beneficiary, project.id, bidding.proposals["FR"].id,
            {"eligible": True},
        )  # fmt: skip


def test_recording_the_meeting_keeps_attendance_scores_ranking_minutes_and_the_reserve(
    session, engine, clock, bidding, minutes
):
    c, project = bidding.cast, bidding.project
    all_eligible(session, engine, bidding)
    clock.advance(days=5)
    minutes_id = minutes(bidding)
    values = meeting_values(bidding, minutes_id, clock.now().date())
    record = selection.record_meeting(session, engine, c.coordinator, project.id, values)
    assert (record.kind, record.minutes_document_id) == ("meeting", minutes_id)
    assert record.reserve_proposal_id == bidding.proposals["DE"].id
    by_country = {
        p.member_state: selection.assessments_of(session, project)[p.id]
        for p in bidding.proposals.values()
    }
    assert [(a.leader_present, a.rta_present, a.rank) for a in by_country.values()] == [
        (True, True, 1),
        (True, True, 2),
        (True, False, 3),
    ]
    assert float(by_country["FR"].score) == 90.0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"held_on": "next week"}, "held_on"),
        ({"minutes_document_id": None}, "minutes_document_id"),
        ({"reserve_proposal_id": [1]}, "reserve_proposal_id"),
        ({"attendance": [{"proposal_id": True, "leader_present": 1}]}, "attendance.0.proposal_id"),
        ({"scores": [{"proposal_id": "x"}]}, "scores.0.proposal_id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_meeting_record_is_refused_naming_the_field_and_changes_nothing(
    session, engine, clock, bidding, minutes, change, field
):
    c, project = bidding.cast, bidding.project
    all_eligible(session, engine, bidding)
    values = meeting_values(bidding, minutes(bidding), clock.now().date()) | change
    with pytest.raises(InvalidData) as refused:
        selection.record_meeting(session, engine, c.coordinator, project.id, values)
    assert field in refused.value.details
    assert selection.record_of(session, project) is None


def test_the_reserve_must_be_eligible_and_not_the_marked_proposal(
    session, engine, clock, bidding, minutes
):
    c, project = bidding.cast, bidding.project
    all_eligible(session, engine, bidding)
    selection.record_eligibility(
        session, engine, c.coordinator, project.id, bidding.proposals["LT"].id,
        {"eligible": False, "reason": "Submitted without the RTA's CV"},
    )  # fmt: skip
    c.make.select(c.coordinator, project, bidding.proposals["FR"])
    for reserve in ("LT", "FR"):
        values = meeting_values(bidding, minutes(bidding), clock.now().date(), reserve=reserve)
        lt = bidding.proposals["LT"].id
        values["attendance"] = [a for a in values["attendance"] if a["proposal_id"] != lt]
        values.pop("scores")
        with pytest.raises(InvalidData) as refused:
            selection.record_meeting(session, engine, c.coordinator, project.id, values)
        assert list(refused.value.details) == ["reserve_proposal_id"]


def test_a_meeting_held_on_time_never_escalates_and_an_unrecorded_one_does(
    session, engine, clock, make, bidding, minutes, pass_settings
):
    c, project = bidding.cast, bidding.project
    due = _meeting_deadline(session, project).due_at
    all_eligible(session, engine, bidding)
    clock.set(due - timedelta(days=1))  # held the day before its deadline, recorded at once
    values = meeting_values(bidding, minutes(bidding), clock.now().date())
    selection.record_meeting(session, engine, c.coordinator, project.id, values)
    late = open_call_with_bids(make, countries=("FR",))
    clock.set(late.project.proposal_deadline + timedelta(minutes=1))
    make.fire(late.cast.coordinator, late.project, "close_call")
    for _ in range(5):  # the scheduler's passes over five weeks
        clock.advance(days=7)
        run_pass(session, clock, pass_settings)
    met = _meeting_deadline(session, project)
    assert (met.status, met.closed_at) == ("met", due - timedelta(days=1))
    assert _escalations(session, met) == []
    unrecorded = _meeting_deadline(session, late.project)
    assert unrecorded.status == "open"
    assert len(_escalations(session, unrecorded)) >= 1


def test_the_meeting_record_is_written_only_during_selection(
    session, engine, clock, bidding, minutes
):
    c, project = bidding.cast, bidding.project
    c.to("work_plan")
    with pytest.raises(Conflict, match="in selection"):
        selection.record_eligibility(
            session, engine, c.coordinator, project.id, bidding.proposals["DE"].id,
            {"eligible": True},
        )  # fmt: skip


def test_a_proposal_found_not_eligible_cannot_be_chosen(session, engine, make, bidding):
    c, project, fr = bidding.cast, bidding.project, bidding.proposals["FR"]
    selection.record_eligibility(
        session, engine, c.coordinator, project.id, fr.id,
        {"eligible": False, "reason": "The lead is not a public administration"},
    )  # fmt: skip
    make.select(c.coordinator, project, fr)
    with pytest.raises(GuardFailed, match="not eligible"):
        make.fire(c.beneficiary, project, "select_partner")


def test_twinning_light_records_a_written_evaluation_without_attendance(
    session, engine, make, clock, minutes
):
    bidding = open_call_with_bids(make, "twinning_light", countries=("FR", "DE"))
    clock.set(bidding.project.proposal_deadline + timedelta(days=1))
    make.fire(bidding.cast.coordinator, bidding.project, "close_call")
    all_eligible(session, engine, bidding)
    values = meeting_values(bidding, minutes(bidding), clock.now().date())
    coordinator, project_id = bidding.cast.coordinator, bidding.project.id
    with pytest.raises(InvalidData) as refused:
        selection.record_meeting(session, engine, coordinator, project_id, values)
    assert list(refused.value.details) == ["attendance"]
    values.pop("attendance")
    record = selection.record_meeting(
        session, engine, bidding.cast.coordinator, bidding.project.id, values
    )
    assert record.kind == "written"
