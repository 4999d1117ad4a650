"""Where implementation records meet the deadlines: a submitted report or a held steering
committee meets its deadline; a moved end date moves the deadlines that hang on it.

A minimal version written beside the scheduler's; the lead reconciles the two.
"""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from twinflow.deadlines.models import Deadline
from twinflow.deadlines.operations import _due_dates, _title
from twinflow.deadlines.schedule import first_alert


def record_deadline_met(session: Session, project_id: int, key: str, now: datetime) -> int:
    """Marks the open deadline `key` (e.g. "interim_report#3") met by a record; returns how
    many rows changed (0 when none was open: already met, or not scheduled)."""
    result = session.execute(
        update(Deadline)
        .where(
            Deadline.project_id == project_id,
            Deadline.key == key,
            Deadline.status == "open",
            Deadline.met_on == "record",
        )
        .values(status="met", closed_at=now, next_alert_at=None)
    )
    return result.rowcount


def follow_project_dates(session: Session, project, definition, now: datetime) -> None:
    """After the project's dates changed (an addendum), the open deadlines of its current state
    are recomputed: those no longer due on their date are superseded, the new ones created."""
    state = definition.states[project.state]
    wanted: set[tuple[str, datetime]] = set()
    for spec in state.deadlines:
        wanted |= {(key, due) for due, key in _due_dates(spec, project, now)}
    keys = {spec.key for spec in state.deadlines}
    for deadline in session.scalars(
        select(Deadline).where(
            Deadline.project_id == project.id,
            Deadline.status == "open",
            Deadline.set_in_state == project.state,
        )
    ):
        if deadline.key.split("#", 1)[0] in keys and (deadline.key, deadline.due_at) not in wanted:
            deadline.status, deadline.closed_at, deadline.next_alert_at = "superseded", now, None
    session.flush()
    present = {
        (d.key, d.due_at)
        for d in session.scalars(
            select(Deadline).where(
                Deadline.project_id == project.id, Deadline.status.in_(("open", "met"))
            )
        )
    }
    for spec in state.deadlines:
        for due, key in _due_dates(spec, project, now):
            if (key, due) not in present:
                session.add(_new_deadline(project, spec, key, due, now))
    session.flush()


def _new_deadline(project, spec, key: str, due: datetime, now: datetime) -> Deadline:
    # Built as deadlines.operations.on_state_change builds them; kept apart so that open
    # deadlines whose date did not move keep their alert progress.
    deadline = Deadline(
        project_id=project.id,
        key=key,
        title=_title(spec, key),
        set_in_state=project.state,
        met_on=spec.met_on,
        due_at=due,
        status="open",
        reminder_offsets_days=[r.months * 30 + r.days for r in spec.reminders],
        notify_parties=list(spec.notify),
        escalate_every_days=(
            spec.escalate_every.months * 30 + spec.escalate_every.days
            if spec.escalate_every
            else None
        ),
        created_at=now,
    )
    deadline.next_alert_at = first_alert(deadline, now)
    return deadline
