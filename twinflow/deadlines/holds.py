"""A hold (a suspension) at any stage after the call opens: entering it freezes the project's
open deadlines (no reminder, no escalation while it lasts); leaving it by `dest: previous`
(resume) moves each of them, and the project's own dates they count from, by the hold's
length, wakes them, and writes what moved to the audit trail. The engine remembers the state
left (projects.held_from) and since when (held_since); see workflow/engine.py."""

from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.schedule import first_alert
from twinflow.deadlines.statements import as_written
from twinflow.workflow.definition import Definition
from twinflow.workflow.schema import PREVIOUS

# The project's dates that move with a hold, by the state it returns to: the call's deadline,
# and the implementation period's end (the contract's period is extended by the suspension).
MOVING_DATES = {"call_open": ("proposal_deadline",), "implementation": ("implementation_end",)}


# The statements of a hold and its return, built once (every suspension and resume runs them).
# Core statements on the table, not the ORM's: the session's copies are set as written
# (statements.as_written), without loading objects or evaluating the identity map.
_TABLE = Deadline.__table__
_C = _TABLE.c
_OPEN_BY_DUE = (
    select(_C.id, _C.key, _C.due_at, _C.next_alert_at, _C.reminder_offsets_days)
    .add_columns(_C.escalate_every_days)
    .where(_C.project_id == bindparam("pid"), _C.status == "open")
    .order_by(_C.due_at, _C.id)
)
_FREEZE = (
    update(_TABLE)
    .where(_C.project_id == bindparam("pid"), _C.status == "open")
    .values(next_alert_at=None)
    .returning(_C.id)
)
_MOVE = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("d_id"))
    .values(due_at=bindparam("d_due"), next_alert_at=bindparam("d_alert"))
)


def is_hold(definition: Definition, state: str) -> bool:
    """A state left only by going back where the project came from (or by a terminal step)."""
    return any(t.dest == PREVIOUS for t in definition.transitions_from(state))


def freeze(session: Session, project_id: int) -> None:
    """Every open deadline of the project falls silent (its date is kept)."""
    frozen = session.connection().execute(_FREEZE, {"pid": project_id}).scalars().all()
    as_written(session, frozen, next_alert_at=None)


def move_dates(project, held: timedelta) -> dict:
    """The project's own dates that count for the state it returns to, later by `held`."""
    dates = {}
    for name in MOVING_DATES.get(project.state, ()):
        value = getattr(project, name)
        if value is not None:
            setattr(project, name, value + held)
            dates[name] = {"from": value.isoformat(), "to": (value + held).isoformat()}
    return dates


def hold_or_return(project, definition: Definition, from_state: str, now: datetime):
    """Entering a hold remembers the state left and since when. Going back there returns
    (held_from, held_since, dates moved) for the frozen deadlines to move by the hold's
    length (`release`, once the deadlines are settled); any other way out forgets."""
    if project.state == from_state:
        return None
    if is_hold(definition, project.state):
        project.held_from, project.held_since = from_state, now
        return None
    held = (project.held_from, project.held_since)
    if held != (None, None):
        project.held_from = project.held_since = None
    if not is_hold(definition, from_state) or project.state != held[0] or held[1] is None:
        return None
    return (*held, move_dates(project, now - held[1]))


def release(
    session: Session, project, held_from: str, held_since: datetime, dates: dict, now, actor
) -> dict:
    """Back from the hold: the open deadlines are later by the hold's length and alert again
    from now; what moved (and the project's dates, moved by move_dates) is audited."""
    held = now - held_since
    moved, rows = [], []
    for deadline in session.connection().execute(_OPEN_BY_DUE, {"pid": project.id}):
        before, alert = deadline.due_at, deadline.next_alert_at
        due = before + held
        later = SimpleNamespace(
            due_at=due,
            reminder_offsets_days=deadline.reminder_offsets_days,
            escalate_every_days=deadline.escalate_every_days,
        )
        new_alert = first_alert(later, now)
        if (due, new_alert) != (before, alert):  # written below by one prebuilt statement
            rows.append({"d_id": deadline.id, "d_due": due, "d_alert": new_alert})
            as_written(session, (deadline.id,), due_at=due, next_alert_at=new_alert)
        moved.append({"key": deadline.key, "from": before.isoformat(), "to": due.isoformat()})
    if rows:
        session.connection().execute(_MOVE, rows)
    data = {
        "held_from": held_from,
        "held_since": held_since.isoformat(),
        "hold_days": round(held.total_seconds() / 86400, 2),
        "deadlines": moved,
        "dates": dates,
    }
    append_event(
        session,
        action="deadlines_moved_by_hold",
        now=now,
        actor=actor,
        project_id=project.id,
        data=data,
    )
    return data
