"""The transition path's deadline statements, built once with bind parameters: building and
keying a statement each time cost more Python than running it (bench/lifecycle.py --profile).
Used by operations.py inside each transition, with the small clauses they share."""

from datetime import datetime

from sqlalchemy import and_, bindparam, case, literal, null, or_, select, update
from sqlalchemy.orm import Session

from twinflow.deadlines.models import Deadline
from twinflow.orm import held_as_written

OPEN = "open"


def open_of(project) -> tuple:
    return (Deadline.project_id == project.id, Deadline.status == OPEN)


def close_where(session: Session, where: tuple, status: str, now: datetime) -> None:
    session.execute(
        update(Deadline).where(*where).values(status=status, closed_at=now, next_alert_at=None)
    )


def left_state(state) -> tuple:
    """The deadlines a state asks for until it is left (met on exit)."""
    return (Deadline.set_in_state == state, Deadline.met_on == "exit")


_C = Deadline.__table__.c
_IDS = bindparam("ids", expanding=True)
_STATE = bindparam("state", type_=_C.set_in_state.type)
_NOW = bindparam("now", type_=_C.closed_at.type)
# Closing the project: met for what the state left asked for, superseded for the rest.
CLOSE_AT_END = (
    update(Deadline)
    .where(Deadline.project_id == bindparam("pid"), Deadline.status == OPEN)
    .values(
        status=case((and_(*left_state(_STATE)), "met"), else_="superseded"),
        closed_at=_NOW,
        next_alert_at=None,
    )
)
_CLOSING = and_(Deadline.status == OPEN, *left_state(_STATE))
# A Core statement (operations._close_and_read makes its rows plain records): loading them as
# ORM objects with populate_existing cost ~100 Python calls a row and ~500 a statement.
CLOSE_AND_READ = (
    update(Deadline.__table__)
    .where(
        Deadline.project_id == bindparam("pid"),
        Deadline.status.in_((OPEN, "met", "waived")),
        or_(Deadline.set_in_state == _STATE, Deadline.key.in_(bindparam("keys", expanding=True))),
    )
    .values(
        status=case((_CLOSING, literal("met", _C.status.type)), else_=_C.status),
        closed_at=case((_CLOSING, _NOW), else_=_C.closed_at),
        next_alert_at=case((_CLOSING, null()), else_=_C.next_alert_at),
    )
    .returning(*Deadline.__table__.c)
)
EXISTING = select(Deadline).where(
    Deadline.project_id == bindparam("pid"), Deadline.status.in_((OPEN, "met", "waived"))
)
INSERT = Deadline.__table__.insert()


def as_written(session: Session, deadline_ids, **values) -> None:
    """After a Core statement wrote `values` to these deadlines: a copy the session holds
    reads as written, with nothing for a flush to send. (The ORM's UPDATE evaluated its
    criteria against every object in the identity map instead, a few hundred Python calls a
    statement; a request's session holds none or a few.)"""
    for deadline_id in deadline_ids:
        held_as_written(session, Deadline, deadline_id, values)


SUPERSEDE = (
    update(Deadline.__table__)
    .where(_C.id.in_(_IDS))
    .values(status="superseded", closed_at=_NOW, next_alert_at=None)
)


def supersede(session, deadlines, now: datetime) -> None:
    """These deadlines no longer count (the same obligation set anew, or a period that no
    longer ends before the project does): closed, silent. ORM objects go with the next
    flush; plain records (operations._close_and_read) are written here, in one statement."""
    plain = []
    for deadline in deadlines:
        deadline.status, deadline.closed_at, deadline.next_alert_at = "superseded", now, None
        if not isinstance(deadline, Deadline):
            plain.append(deadline.id)
    if plain:
        session.connection().execute(SUPERSEDE, {"ids": plain, "now": now})
