"""Project Steering Committee meetings: one each quarter; a quarter without one is overdue."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.deadlines.models import Deadline
from twinflow.i18n import gettext
from twinflow.records.operations import (
    open_project,
    readable_project,
    record_deadline_met,
    unit_of_work,
)
from twinflow.records.validation import Values
from twinflow.steering.models import SteeringMeeting
from twinflow.workflow.durations import add_months

MEETING_STATES = ("implementation", "suspended", "final_reporting")


def quarter_of(project, day) -> int:
    """1 for a day in the first three months of implementation, 2 for the next three ..."""
    quarter = 1
    while add_months(project.implementation_start, 3 * quarter).date() <= day:
        quarter += 1
    return quarter


def record_meeting(
    session: Session, engine, actor, project_id: int, values: dict, commit: bool = True
) -> SteeringMeeting:
    """values: held_on (date), attendees (names), minutes (text). The meeting meets the
    steering committee deadline of its quarter."""
    with unit_of_work(session, commit):
        project, _ = open_project(
            session,
            engine,
            actor,
            project_id,
            states=MEETING_STATES,
            what=gettext("Recording a steering committee meeting"),
        )
        now = engine.clock.now()
        v = Values(values, ("held_on", "attendees", "minutes"))
        held_on = v.day("held_on", required=True)
        attendees = v.names("attendees")
        minutes = v.text("minutes", max_length=50000, default="")
        if not attendees and not v.errors.get("attendees"):
            v.error("attendees", gettext("list who attended"))
        if held_on is not None:
            if held_on > now.date():
                v.error(
                    "held_on",
                    gettext("cannot be in the future: record a meeting once it is held"),
                )
            elif held_on < project.implementation_start.date():
                v.error(
                    "held_on",
                    gettext(
                        "is before the implementation start (%(date)s)",
                        date=project.implementation_start.date().isoformat(),
                    ),
                )
        v.done()
        quarter = quarter_of(project, held_on)
        meeting = SteeringMeeting(
            project_id=project.id,
            held_on=held_on,
            quarter=quarter,
            attendees=attendees,
            minutes=minutes,
            recorded_by_id=actor.id,
            recorded_at=now,
        )
        session.add(meeting)
        session.flush()
        met = record_deadline_met(session, project.id, f"steering_committee#{quarter}", now)
        append_event(
            session,
            action="steering_meeting_recorded",
            now=now,
            actor=actor,
            project_id=project.id,
            data={
                "meeting_id": meeting.id,
                "held_on": held_on.isoformat(),
                "quarter": quarter,
                "attendees": attendees,
                "deadline_met": bool(met),
            },
        )
    return meeting


def meetings(session: Session, engine, actor, project_id: int) -> list[SteeringMeeting]:
    project, _ = readable_project(session, engine, actor, project_id)
    return list(
        session.scalars(
            select(SteeringMeeting)
            .where(SteeringMeeting.project_id == project.id)
            .order_by(SteeringMeeting.held_on)
        )
    )


def overdue_meetings(
    session: Session, engine, actor, project_id: int, now: datetime | None = None
) -> list[Deadline]:
    """The quarters whose steering committee deadline passed with no meeting recorded."""
    project, _ = readable_project(session, engine, actor, project_id)
    now = now or engine.clock.now()
    return list(
        session.scalars(
            select(Deadline)
            .where(
                Deadline.project_id == project.id,
                Deadline.key.like("steering_committee#%"),
                Deadline.status == "open",
                Deadline.due_at < now,
            )
            .order_by(Deadline.due_at)
        )
    )
