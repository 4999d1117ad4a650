"""Deadlines follow the project: set on entering a state, closed when it is left or met."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from twinflow.deadlines.models import Deadline
from twinflow.deadlines.schedule import first_alert
from twinflow.workflow.definition import DeadlineSpec, Definition

OPEN = "open"


def on_state_change(
    session: Session,
    project,
    definition: Definition,
    from_state: str,
    to_state: str,
    now: datetime,
) -> list[Deadline]:
    """Close what the move ends and create what the new state sets; returns the new ones."""
    base = (Deadline.project_id == project.id, Deadline.status == OPEN)
    if definition.states[to_state].terminal:
        status = "cancelled" if to_state == "cancelled" else "superseded"
        session.execute(
            update(Deadline).where(*base).values(status=status, closed_at=now, next_alert_at=None)
        )
        return []
    # Re-entering the same state (a re-circulation) replaces its deadlines rather than meeting them.
    status = "superseded" if from_state == to_state else "met"
    if definition.states[from_state].deadlines:  # only a state that sets deadlines closes any
        session.execute(
            update(Deadline)
            .where(*base, Deadline.set_in_state == from_state, Deadline.met_on == "exit")
            .values(status=status, closed_at=now, next_alert_at=None)
        )
    specs = definition.states[to_state].deadlines
    if not specs:
        return []
    # One query for what already exists: resuming a suspended project must not duplicate its
    # report deadlines.
    existing = {
        (key, due_at)
        for key, due_at in session.execute(
            select(Deadline.key, Deadline.due_at).where(
                Deadline.project_id == project.id, Deadline.status.in_((OPEN, "met"))
            )
        )
    }
    created = []
    for spec in specs:
        for due_at, key in _due_dates(spec, project, now):
            if (key, due_at) in existing:
                continue
            deadline = Deadline(
                project_id=project.id,
                key=key,
                title=_title(spec, key),
                set_in_state=to_state,
                met_on=spec.met_on,
                due_at=due_at,
                status=OPEN,
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
            session.add(deadline)
            created.append(deadline)
    return created


def _title(spec: DeadlineSpec, key: str) -> str:
    if "#" in key:
        return f"{spec.title} {key.split('#', 1)[1]}"
    return spec.title


def _anchor(name: str, project, now: datetime) -> datetime | None:
    return now if name == "entry" else getattr(project, name)


def _due_dates(spec: DeadlineSpec, project, now: datetime) -> list[tuple[datetime, str]]:
    anchor = _anchor(spec.anchor, project, now)
    if anchor is None:
        return []
    if spec.every is None:
        return [(spec.after.after(anchor), spec.key)]
    until = _anchor(spec.until, project, now)
    if until is None:
        return []
    out, period, index = [], anchor, 1
    while True:
        period_end = spec.every.after(period)
        if period_end > until:
            break
        out.append((spec.after.after(period_end), f"{spec.key}#{index}"))
        period, index = period_end, index + 1
    return out


def open_deadlines(session: Session, project_id: int) -> list[Deadline]:
    return list(
        session.scalars(
            select(Deadline)
            .where(Deadline.project_id == project_id, Deadline.status == OPEN)
            .order_by(Deadline.due_at)
        )
    )
