"""Which audit events a user may see on a project's timeline.

A Member State institution must never learn of another Member State's proposal: not from the
proposal list, and not from the timeline either (who submitted, who was picked, the comments
given while choosing), until the partner is public or it is itself the selected partner.
"""

import json

from twinflow.audit.permissions import SELECTION_TRIGGERS
from twinflow.audit.permissions import event_visible as audit_event_visible
from twinflow.projects.permissions import is_public


def load_data(event) -> dict:
    try:
        data = json.loads(event.data or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def event_visible(user, project, event, data: dict, lead_member_state: str | None) -> bool:
    """The audit trail's rule (audit/permissions.py), shared with the API."""
    return audit_event_visible(user, project, event, data)


def partner_visible(user, project, lead_member_state: str | None) -> bool:
    """May this user see who the selected Member State partner is?"""
    if user is None or not getattr(user, "is_authenticated", False):
        return is_public(project)
    if user.role != "member_state":
        return True
    return is_public(project) or lead_member_state == user.country


def approval_visible(user, project, request, lead_member_state: str | None) -> bool:
    """A pending approval on choosing the partner names (or hints at) the chosen proposal."""
    if user.role != "member_state" or request.trigger not in SELECTION_TRIGGERS:
        return True
    return partner_visible(user, project, lead_member_state)
