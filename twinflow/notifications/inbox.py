"""A user's in-app inbox: the unread count for the navigation, and marking items read."""

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from twinflow.notifications.models import Notification


def unread_count(session: Session, user) -> int:
    return session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def mark_read(session: Session, user, now: datetime, notification_id: int | None = None) -> int:
    """One notification (or, without an id, all of them) of this user; another user's ids are
    simply not matched, so nobody can touch someone else's inbox. Commits; returns the count."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    try:
        count = session.execute(query.values(read_at=now)).rowcount
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return count
