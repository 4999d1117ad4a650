"""Reading a project's deadlines (the writes that set and close them are in operations.py)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinflow.deadlines.models import Deadline
from twinflow.deadlines.statements import OPEN


def open_deadlines(session: Session, project_id: int) -> list[Deadline]:
    return list(
        session.scalars(
            select(Deadline)
            .where(Deadline.project_id == project_id, Deadline.status == OPEN)
            .order_by(Deadline.due_at, Deadline.id)
        )
    )


def project_deadlines(session: Session, project_id: int) -> list[Deadline]:
    """Every deadline the project ever had, open or closed, by due date."""
    return list(
        session.scalars(
            select(Deadline)
            .where(Deadline.project_id == project_id)
            .order_by(Deadline.due_at, Deadline.id)
        )
    )
