"""Who may read which audit events: the whole trail is for administrators; a project's trail
follows the project's and its proposals' visibility, so it never tells a Member State who else
proposed, nor anyone which Member States proposed before the call has closed."""

from sqlalchemy import not_, or_, true

from twinflow.audit.models import AuditEvent
from twinflow.projects.permissions import can_view_project
from twinflow.proposals.permissions import CALL_NOT_CLOSED


def can_read_full_audit(user) -> bool:
    return user is not None and user.is_active and user.role == "admin"


def can_read_project_audit(user, project) -> bool:
    return can_view_project(user, project)


def project_events_clause(user, project):
    """A WHERE clause over AuditEvent: the events of this project this user may read."""
    if can_read_full_audit(user):
        return true()
    about_proposals = AuditEvent.action.like("proposal\\_%", escape="\\")
    if user.role == "member_state":
        own = f'"member_state":"{user.country}"'
        return or_(not_(about_proposals), AuditEvent.data.contains(own, autoescape=True))
    if project.state in CALL_NOT_CLOSED:
        return not_(about_proposals)
    return true()


def actor_withheld(viewer, actor_role: str | None, actor_country: str | None) -> bool:
    """A Member State user never learns which other Member States' users acted on a project."""
    return (
        viewer.role == "member_state"
        and actor_role == "member_state"
        and actor_country != viewer.country
    )
