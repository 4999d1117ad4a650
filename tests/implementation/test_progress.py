"""Results and indicators, activities and their timeline, steering committee meetings."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import Cast
from twinflow.activities import operations as activities
from twinflow.activities.models import Activity
from twinflow.audit.models import AuditEvent
from twinflow.results import operations as results
from twinflow.steering import operations as steering
from twinflow.workflow.durations import add_months
from twinflow.workflow.errors import Conflict, InvalidData


def _sign_contract(make, cast):
    make.fire(cast.beneficiary, cast.project, "submit_contract")
    signing = make.fire(cast.coordinator, cast.project, "sign_contract")
    make.engine.decide(make.session, cast.france, signing.approval.id, "approve")


def test_results_are_defined_before_the_contract_and_measured_during_implementation(
    make, session, engine
):
    cast = Cast(make)
    project = cast.to("work_plan")
    bc = cast.beneficiary
    component = results.add_component(session, engine, bc, project.id, {"title": "Courts"})
    result = results.add_result(session, engine, bc, component.id, {"title": "Case system"})
    indicator = results.add_indicator(
        session, engine, bc, result.id,
        {"name": "Courts connected", "unit": "courts", "baseline": 10, "target": 30},
    )  # fmt: skip
    with pytest.raises(Conflict, match="Reporting an indicator's value is possible only while"):
        results.record_indicator_value(session, engine, bc, indicator.id, {"reached": 12})

    _sign_contract(make, cast)
    with pytest.raises(Conflict, match="Defining components is possible only while"):
        results.add_component(session, engine, bc, project.id, {"title": "Late"})


def test_progress_shows_how_far_each_indicator_has_come(make, session, engine):
    cast = Cast(make)
    project = cast.to("work_plan")
    bc = cast.beneficiary
    component = results.add_component(session, engine, bc, project.id, {"title": "Courts"})
    result = results.add_result(session, engine, bc, component.id, {"title": "Case system"})
    first = results.add_indicator(
        session, engine, bc, result.id, {"name": "Courts", "baseline": 10, "target": 30}
    )
    second = results.add_indicator(
        session, engine, bc, result.id, {"name": "Backlog", "baseline": 5000, "target": 1000}
    )
    with pytest.raises(InvalidData) as refused:
        results.add_indicator(
            session, engine, bc, result.id, {"name": "Flat", "baseline": "x", "target": 3}
        )
    assert refused.value.errors == {"baseline": ["must be a number"]}
    _sign_contract(make, cast)

    results.record_indicator_value(session, engine, bc, first.id, {"reached": 20})
    results.record_indicator_value(session, engine, cast.france, second.id, {"reached": 4000})
    view = results.progress(session, engine, cast.coordinator, project.id)
    (shown,) = view.components
    assert [i.percent for i in shown.results[0].indicators] == [50, 25]
    assert view.percent == 38


def test_an_activity_done_needs_its_actual_dates_and_the_timeline_shows_both(
    cast, session, engine, clock
):
    start = cast.project.implementation_start.date()
    mission = activities.plan_activity(
        session, engine, cast.france, cast.project.id,
        {"kind": "expert_mission", "title": "Prison audit", "experts": ["J. Martin"],
         "planned_start": (start + timedelta(days=10)).isoformat(),
         "planned_end": (start + timedelta(days=14)).isoformat()},
    )  # fmt: skip
    with pytest.raises(InvalidData) as refused:
        activities.update_activity(
            session, engine, cast.beneficiary, mission.id, {"status": "done"}
        )
    assert refused.value.errors == {
        "status": ["an activity marked done needs its actual_start and actual_end"]
    }
    with pytest.raises(InvalidData) as refused:
        activities.update_activity(
            session, engine, cast.beneficiary, mission.id,
            {"actual_start": (clock.now().date() + timedelta(days=30)).isoformat()},
        )  # fmt: skip
    assert refused.value.errors == {
        "actual_start": ["cannot be in the future: it records what happened"]
    }

    clock.set(cast.project.implementation_start + timedelta(days=20))
    activities.update_activity(
        session, engine, cast.beneficiary, mission.id,
        {"status": "done", "participants": 25,
         "actual_start": (start + timedelta(days=11)).isoformat(),
         "actual_end": (start + timedelta(days=16)).isoformat()},
    )  # fmt: skip
    picture = activities.timeline(session, engine, cast.coordinator, cast.project.id)
    (bar,) = picture.bars
    assert (bar.planned_offset, bar.planned_days) == (10, 5)
    assert (bar.actual_offset, bar.actual_days) == (11, 6)
    assert picture.start == start
    assert picture.end == cast.project.implementation_end.date()


def test_a_planned_activity_must_end_after_it_starts(cast, session, engine):
    with pytest.raises(InvalidData) as refused:
        activities.plan_activity(
            session, engine, cast.france, cast.project.id,
            {"kind": "picnic", "title": "", "planned_start": "2027-05-10",
             "planned_end": "2027-05-01"},
        )  # fmt: skip
    assert refused.value.errors == {
        "kind": [
            "must be one of: expert_mission, training, workshop, study_visit, internship, "
            "counselling"
        ],
        "title": ["is required"],
        "planned_end": ["must not be before planned_start"],
    }


def test_an_activity_planned_before_the_implementation_start_is_refused_naming_each_date(
    cast, session, engine
):
    start = cast.project.implementation_start.date()
    events = session.scalar(select(func.count(AuditEvent.id)))
    with pytest.raises(InvalidData) as refused:
        activities.plan_activity(
            session, engine, cast.beneficiary, cast.project.id,
            {"kind": "training", "title": "Kick-off", "planned_start": "1901-03-01",
             "planned_end": "1901-03-02"},
        )  # fmt: skip
    reason = f"is before the implementation start ({start:%Y-%m-%d})"
    assert refused.value.errors == {"planned_start": [reason], "planned_end": [reason]}
    assert session.scalar(select(func.count(Activity.id))) == 0
    assert session.scalar(select(func.count(AuditEvent.id))) == events


def test_an_activity_starting_on_the_implementation_start_is_accepted(cast, session, engine):
    start = cast.project.implementation_start.date()
    activity = activities.plan_activity(
        session, engine, cast.beneficiary, cast.project.id,
        {"kind": "training", "title": "Kick-off", "planned_start": start, "planned_end": start},
    )  # fmt: skip
    assert activity.planned_start == start


def test_an_actual_date_before_the_implementation_start_is_refused_and_the_activity_is_unchanged(
    cast, session, engine, clock
):
    start = cast.project.implementation_start.date()
    activity = activities.plan_activity(
        session, engine, cast.beneficiary, cast.project.id,
        {"kind": "workshop", "title": "Kick-off", "planned_start": start + timedelta(days=3),
         "planned_end": start + timedelta(days=4)},
    )  # fmt: skip
    clock.set(cast.project.implementation_start + timedelta(days=10))
    with pytest.raises(InvalidData) as refused:
        activities.update_activity(
            session, engine, cast.beneficiary, activity.id,
            {"status": "ongoing", "actual_start": (start - timedelta(days=1)).isoformat()},
        )  # fmt: skip
    assert refused.value.errors == {
        "actual_start": [f"is before the implementation start ({start:%Y-%m-%d})"]
    }
    session.refresh(activity)
    assert (activity.status, activity.actual_start) == ("planned", None)
    picture = activities.timeline(session, engine, cast.coordinator, cast.project.id)
    assert picture.start == start


def test_activities_planned_before_the_contract_is_signed_keep_their_dates(make, session, engine):
    cast = Cast(make)
    project = cast.to("work_plan")
    assert project.implementation_start is None
    activity = activities.plan_activity(
        session, engine, cast.beneficiary, project.id,
        {"kind": "training", "title": "Early", "planned_start": "2027-02-01",
         "planned_end": "2027-02-02"},
    )  # fmt: skip
    assert activity.planned_start == date(2027, 2, 1)


def test_a_quarter_without_a_steering_committee_shows_as_overdue(cast, session, engine, clock):
    start = cast.project.implementation_start
    clock.set(start + timedelta(days=40))
    meeting = steering.record_meeting(
        session, engine, cast.beneficiary, cast.project.id,
        {"held_on": clock.now().date().isoformat(), "attendees": ["RTA", "PL"], "minutes": "ok"},
    )  # fmt: skip
    assert meeting.quarter == 1
    clock.set(add_months(start, 6) + timedelta(days=1))
    overdue = steering.overdue_meetings(session, engine, cast.coordinator, cast.project.id)
    assert [d.key for d in overdue] == ["steering_committee#2"]

    # A late meeting counts for the quarter it is held in; quarter 2 stays overdue.
    late = steering.record_meeting(
        session, engine, cast.beneficiary, cast.project.id,
        {"held_on": clock.now().date(), "attendees": ["RTA"]},
    )  # fmt: skip
    assert late.quarter == 3
    overdue = steering.overdue_meetings(session, engine, cast.coordinator, cast.project.id)
    assert [d.key for d in overdue] == ["steering_committee#2"]


def test_a_meeting_is_recorded_once_held_and_within_implementation(cast, session, engine, clock):
    with pytest.raises(InvalidData) as refused:
        steering.record_meeting(
            session, engine, cast.beneficiary, cast.project.id,
            {"held_on": (clock.now().date() + timedelta(days=3)).isoformat()},
        )  # fmt: skip
    assert refused.value.errors == {
        "held_on": ["cannot be in the future: record a meeting once it is held"],
        "attendees": ["list who attended"],
    }
    with pytest.raises(InvalidData) as refused:
        steering.record_meeting(
            session, engine, cast.beneficiary, cast.project.id,
            {"held_on": date(2020, 1, 1), "attendees": ["A"]},
        )  # fmt: skip
    assert refused.value.errors["held_on"][0].startswith("is before the implementation start")
