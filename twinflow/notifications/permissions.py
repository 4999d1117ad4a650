"""Who reads which notification: one rule for the web inbox, the API and the digests."""

from sqlalchemy import select

from twinflow.notifications.models import Notification
from twinflow.projects.models import Project
from twinflow.projects.permissions import visible_projects_clause


def readable_notifications_clause(user):
    """The user's own notifications, less those of a project the user no longer sees (a
    coordinator whose organisation stopped covering its country): the notice was theirs, the
    project's news no longer is."""
    return (Notification.user_id == user.id) & (
        Notification.project_id.is_(None)
        | Notification.project_id.in_(select(Project.id).where(visible_projects_clause(user)))
    )
