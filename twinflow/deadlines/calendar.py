"""Deadlines as iCalendar: a per-user feed behind a secret, revocable URL, and a per-project
download. Times are written in UTC ("...Z"), which every calendar shows in local time."""

import hashlib
import secrets
from datetime import datetime
from urllib.parse import urlsplit

from icalendar import Calendar, Event
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from twinflow.auth.models import User
from twinflow.deadlines.models import CalendarToken, Deadline
from twinflow.deadlines.permissions import visible_deadlines, visible_deadlines_clause
from twinflow.i18n import gettext as _
from twinflow.projects.models import Project


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_calendar_token(session: Session, user: User, *, now: datetime) -> str:
    """A new secret for the user's feed URL; the old URL stops working. Commits. Only the
    hash is stored, so the secret is shown this once."""
    secret = secrets.token_urlsafe(32)
    try:
        _revoke(session, user, now)
        session.add(CalendarToken(user_id=user.id, token_hash=_hash(secret), created_at=now))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return secret


def revoke_calendar_tokens(session: Session, user: User, *, now: datetime) -> int:
    """Cut off every feed URL of the user. Commits; returns how many were live."""
    try:
        count = _revoke(session, user, now)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return count


def _revoke(session: Session, user: User, now: datetime) -> int:
    return session.execute(
        update(CalendarToken)
        .where(CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None))
        .values(revoked_at=now)
    ).rowcount


def user_for_calendar_token(session: Session, secret: str) -> User | None:
    if not secret or len(secret) > 100:
        return None
    user = session.scalar(
        select(User)
        .join(CalendarToken, CalendarToken.user_id == User.id)
        .where(CalendarToken.token_hash == _hash(secret), CalendarToken.revoked_at.is_(None))
    )
    return user if user is not None and user.is_active else None


def deadlines_for_user(session: Session, user: User) -> list[tuple[Deadline, Project]]:
    """Open deadlines the user may see (deadlines/permissions.py), across projects."""
    rows = session.execute(
        select(Deadline, Project)
        .join(Project, Project.id == Deadline.project_id)
        .where(Deadline.status == "open", visible_deadlines_clause(user))
        .order_by(Deadline.due_at, Deadline.id)
    ).all()
    return [tuple(r) for r in rows]


def project_open_deadlines(
    session: Session, project: Project, user: User
) -> list[tuple[Deadline, Project]]:
    """The project's open deadlines this user sees (deadlines/permissions.py)."""
    deadlines = session.scalars(
        select(Deadline)
        .where(Deadline.project_id == project.id, Deadline.status == "open")
        .order_by(Deadline.due_at, Deadline.id)
    )
    return [(d, project) for d in visible_deadlines(user, project, deadlines)]


def to_ical(items, *, name: str, base_url: str, now: datetime, title_of=None) -> bytes:
    """In the current language; `title_of(deadline, project)`: a deadline's title as the reader
    reads it (its row keeps the English one)."""
    title_of = title_of or (lambda deadline, _project: deadline.title)
    host = urlsplit(base_url).hostname or "twinflow"
    calendar = Calendar()
    calendar.add("prodid", "-//twinflow//Twinning deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for deadline, project in items:
        link = f"{base_url.rstrip('/')}/projects/{project.id}"
        title = title_of(deadline, project)
        summary = f"[{project.reference}] {title}"
        if deadline.is_overdue(now):
            summary = _("OVERDUE: %(summary)s", summary=summary)
        said = _(
            "%(deadline)s for %(project)s (%(reference)s).",
            deadline=title,
            project=project.title,
            reference=project.reference,
        )
        event = Event()
        event.add("uid", f"deadline-{deadline.id}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", deadline.due_at)
        event.add("summary", summary)
        event.add("description", f"{said}\n{link}")
        event.add("url", link)
        event.add("categories", ["twinflow", deadline.key.split("#", 1)[0]])
        calendar.add_component(event)
    return calendar.to_ical()
