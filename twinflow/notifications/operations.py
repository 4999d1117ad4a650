"""Queueing notifications (in-app and e-mail) inside the transaction that causes them."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from twinflow.auth.models import User
from twinflow.notifications.models import Notification, OutboxEmail


def users_for_parties(
    session: Session, project, parties: Iterable[str], lead_member_state: str | None
) -> list[User]:
    """The active users who act as any of these parties on the project."""
    clauses = []
    parties = set(parties)
    if "coordinator" in parties:
        clauses.append(User.role == "coordinator")
    if "beneficiary" in parties:
        clauses.append(
            (User.role == "beneficiary")
            & (User.country == project.beneficiary_country)
            & (func.lower(User.organisation) == project.beneficiary_institution.lower())
        )
    if "member_state" in parties:
        clauses.append(User.role == "member_state")
    elif "lead_member_state" in parties and lead_member_state:
        clauses.append((User.role == "member_state") & (User.country == lead_member_state))
    if not clauses:
        return []
    return list(
        session.scalars(
            select(User).where(User.is_active.is_(True), or_(*clauses)).order_by(User.id)
        )
    )


_IGNORING_DUPLICATES = {}


def _insert_ignoring_duplicates(session: Session, rows: list[dict]):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id, key, as one executemany; the
    statement is built once per dialect."""
    dialect = session.get_bind().dialect.name
    stmt = _IGNORING_DUPLICATES.get(dialect)
    if stmt is None:
        make = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = (
            make(Notification.__table__)
            .on_conflict_do_nothing()
            .returning(Notification.__table__.c.id, Notification.__table__.c.key)
        )
        _IGNORING_DUPLICATES[dialect] = stmt
    return session.execute(stmt, rows)


def notify(
    session: Session,
    users: Iterable[User],
    *,
    kind: str,
    key: str,
    subject: str,
    body: str,
    now: datetime,
    project_id: int | None = None,
    link: str | None = None,
    email: bool = True,
) -> int:
    """One notification per user under `key:user:<id>`; a key already used is skipped, so a
    repeated call (a retried scheduler pass) tells nobody twice. Returns how many were new."""
    users = [u for u in users if u.is_active]
    if not users:
        return 0
    rows = [
        dict(
            key=f"{key}:user:{u.id}",
            user_id=u.id,
            project_id=project_id,
            kind=kind,
            subject=subject,
            body=body,
            link=link,
            created_at=now,
        )
        for u in users
    ]
    inserted = _insert_ignoring_duplicates(session, rows).all()
    if email and inserted:
        by_key = {row["key"]: u for row, u in zip(rows, users, strict=True)}
        mails = []
        for notification_id, nkey in inserted:
            user = by_key[nkey]
            text = f"{body}\n\n{link}\n" if link else f"{body}\n"
            mails.append(
                dict(
                    notification_id=notification_id,
                    to_address=user.email,
                    subject=subject,
                    body_text=text,
                    status="queued",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
        session.execute(OutboxEmail.__table__.insert(), mails)
    return len(inserted)
