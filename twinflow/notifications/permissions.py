"""Who reads which notification: one rule for the web inbox, the API and the digests."""

from sqlalchemy import select

from twinflow.notifications.models import Notification
from twinflow.projects.models import Project
from twinflow.projects.permissions import visible_projects_clause


def readable_notifications_clause(user):
    """The user's own notifications, less those of a project the user no longer sees (a
    coordinator whose organisation stopped covering its country): the notice was theirs, the
    project's news no longer is.
    The project is tested row by row (EXISTS on its primary key), not by `IN (SELECT id ...)`:
    SQLite built the list of every visible project for each count, ~1 ms at 2,000 projects,
    for the few notifications a user holds. Same rows: projects.id is never NULL."""
    visible = select(Project.id).where(
        Project.id == Notification.project_id, visible_projects_clause(user)
    )
    return (Notification.user_id == user.id) & (
        Notification.project_id.is_(None) | visible.exists()
    )
