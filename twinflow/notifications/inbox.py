"""The inbox: the unread count of the navigation's badge, the listing, marking read. Read
under the same rule as the notifications were addressed (notifications/permissions.py)."""

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from twinflow.notifications.models import Notification
from twinflow.notifications.permissions import readable_notifications_clause
from twinflow.projects.permissions import project_scope
from twinflow.workflow.errors import InvalidData

# The badge's statement per (user id, project scope), reused across requests: building it and
# its cache key was ~5% of every signed-in page. readable_notifications_clause reads exactly
# these two (the id and visible_projects_clause, i.e. the scope), so a user whose organisation
# or role changes gets a new key, and no user ever runs another's statement.
_UNREAD: dict = {}
_UNREAD_KEPT = 1024


def unread_count(session: Session, user) -> int:
    """The navigation's badge: counted under the rule the inbox lists by, so they agree."""
    key = (user.id, project_scope(user))
    statement = _UNREAD.get(key)
    if statement is None:
        if len(_UNREAD) >= _UNREAD_KEPT:
            _UNREAD.clear()
        statement = _UNREAD[key] = select(func.count(Notification.id)).where(
            readable_notifications_clause(user), Notification.read_at.is_(None)
        )
    return session.scalar(statement)


def inbox(
    session: Session, user, *, unread_only: bool = False, limit: int = 50, before_id=None
) -> list[Notification]:
    """The user's notifications, newest first; `before_id` pages further back."""
    if not 1 <= limit <= 200:
        raise InvalidData({"limit": ["must be between 1 and 200"]})
    query = select(Notification).where(readable_notifications_clause(user))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    if before_id is not None:
        query = query.where(Notification.id < before_id)
    return list(session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def mark_read(
    session: Session, user, notification_ids=None, *, now: datetime, commit: bool = True
) -> int:
    """Mark these notifications (or, with None, all of them) read. Only the user's own are
    touched, so someone else's id changes nothing. Returns how many changed."""
    stmt = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_ids is not None:
        ids = list(notification_ids)
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise InvalidData({"ids": ["must be a list of notification ids (integers)"]})
        stmt = stmt.where(Notification.id.in_(ids))
    try:
        changed = session.execute(stmt.values(read_at=now)).rowcount
        if commit:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    return changed
