"""Who may read which audit events: the whole trail is for administrators; a project's trail
follows what the reader may see of the project.

One rule, written twice: `event_visible` in Python (the web timeline and dashboard) and
`project_events_clause` in SQL (the API's paged audit list). tests/api/test_audit_visibility.py
checks that both give the same events to every user.

- Proposal events follow proposal visibility: a Member State sees only its own, and the one
  selected only once it may know the partner; others only once the call has closed.
- Choosing the partner: the transition that chose it is a lifecycle step every reader of the
  project sees (the project's state says "Work plan" all the same). What was said while
  choosing stays hidden from Member States until the partner is public or they are it: the
  approval requests and decisions, and the transition itself when it carries the requester's
  comment (it may name the chosen proposal or weigh it against the others), since every
  reader of an event reads its comment.
- A Member State that is not the project's lead partner sees the lifecycle (creation,
  transitions, approvals), its own documents and the fiche's, and nothing of the
  implementation records, which belong to the project's parties.
"""

from sqlalchemy import and_, false, not_, or_, select, true

from twinflow.audit.models import AuditEvent
from twinflow.implementation.permissions import OPEN_CATEGORIES
from twinflow.projects.permissions import can_view_project, is_public
from twinflow.proposals.permissions import CALL_NOT_CLOSED

LIFECYCLE_ACTIONS = (
    "project_created",
    "transition",
    "approval_requested",
    "approval_approved",
    "approval_rejected",
)
DOCUMENT_ACTIONS = ("document_uploaded", "document_downloaded", "document_integrity_failed")
SELECTION_TRIGGERS = ("select_partner",)


def can_read_full_audit(user) -> bool:
    return user is not None and user.is_active and user.role == "admin"


def can_read_project_audit(user, project) -> bool:
    return can_view_project(user, project)


def partner_known_to(user, project) -> bool:
    return is_public(project) or project.lead_member_state == user.country


def event_visible(user, project, event, data: dict) -> bool:
    """May this user see this event of this project? `data`: the event's data, parsed."""
    if not can_view_project(user, project):
        return False
    if can_read_full_audit(user):
        return True
    about_proposal = event.action.startswith("proposal_")
    if user.role != "member_state":
        return not about_proposal or project.state not in CALL_NOT_CLOSED
    partner_known = partner_known_to(user, project)
    if about_proposal:
        own = data.get("member_state") == user.country
        return own and (partner_known or event.action != "proposal_selected")
    if not partner_known and _said_while_choosing(event, data):
        return False
    if project.lead_member_state == user.country:
        return True
    if event.action in DOCUMENT_ACTIONS:
        return data.get("category") in OPEN_CATEGORIES or data.get("member_state") == user.country
    return event.action in LIFECYCLE_ACTIONS


def _said_while_choosing(event, data: dict) -> bool:
    """An event of choosing the partner other than its uncommented transition."""
    if event.trigger not in SELECTION_TRIGGERS:
        return False
    return event.action != "transition" or not ("comment" in data and data["comment"] is None)


def project_events_clause(user, project):
    """`event_visible` as a WHERE clause over AuditEvent, for paging in the database."""
    if not can_view_project(user, project):
        return false()
    if can_read_full_audit(user):
        return true()
    about_proposal = AuditEvent.action.like("proposal\\_%", escape="\\")
    if user.role != "member_state":
        return true() if project.state not in CALL_NOT_CLOSED else not_(about_proposal)
    partner_known = partner_known_to(user, project)
    own = _data_has("member_state", user.country)
    proposals = about_proposal & own
    if not partner_known:
        proposals = proposals & (AuditEvent.action != "proposal_selected")
    if project.lead_member_state == user.country:
        others = true()
    else:
        documents = AuditEvent.action.in_(DOCUMENT_ACTIONS) & or_(
            own, *(_data_has("category", c) for c in OPEN_CATEGORIES)
        )
        others = or_(AuditEvent.action.in_(LIFECYCLE_ACTIONS), documents)
    if not partner_known:
        others = and_(
            others,
            or_(
                AuditEvent.trigger.is_(None),
                AuditEvent.trigger.not_in(SELECTION_TRIGGERS),
                # Canonical JSON: a comment left empty reads exactly so (the transition's
                # data declares no field of its own, so nothing nested can).
                (AuditEvent.action == "transition")
                & AuditEvent.data.contains('"comment":null', autoescape=True),
            ),
        )
    return or_(proposals, and_(not_(about_proposal), others))


def _data_has(key: str, value: str):
    # Event data is canonical JSON (sorted keys, no spaces), so a top-level string pair reads
    # exactly like this; the values matched are country codes and category names.
    return AuditEvent.data.contains(f'"{key}":"{value}"', autoescape=True)


def actor_withheld(viewer, actor_role: str | None, actor_country: str | None) -> bool:
    """A Member State user never learns which other Member States' users acted on a project."""
    return (
        viewer.role == "member_state"
        and actor_role == "member_state"
        and actor_country != viewer.country
    )


def mark_withheld_actors(session, viewer, pairs) -> None:
    """For the web timelines: flag in each (event, data) whose actor this viewer may not
    learn (`actor_withheld`, the API's rule) as data["actor_withheld"]. One query, and none
    unless the viewer is a Member State user."""
    if viewer.role != "member_state":
        return
    ids = {event.actor_id for event, data in pairs if event.actor_id}
    if not ids:
        return
    from twinflow.auth.models import User  # auth imports the permissions of projects

    hidden = set(
        session.scalars(
            select(User.id).where(
                User.id.in_(ids), User.role == "member_state", User.country != viewer.country
            )
        )
    )
    for event, data in pairs:
        data["actor_withheld"] = event.actor_id in hidden
