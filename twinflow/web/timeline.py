"""Which audit events a user may see on a project's timeline.

A Member State institution must never learn of another Member State's proposal: not from the
proposal list, and not from the timeline either (who submitted, who was picked, the comments
given while choosing), until the partner is public or it is itself the selected partner.
"""

import json

from twinflow.projects.permissions import can_view_project, is_public

SELECTION_TRIGGERS = {"select_partner"}


def load_data(event) -> dict:
    try:
        data = json.loads(event.data or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def event_visible(user, project, event, data: dict, lead_member_state: str | None) -> bool:
    if not can_view_project(user, project):
        return False
    if user.role != "member_state":
        return True
    if event.action in ("proposal_submitted", "proposal_updated"):
        return data.get("member_state") == user.country
    partner_known = is_public(project) or lead_member_state == user.country
    if event.action == "proposal_selected":
        return data.get("member_state") == user.country and partner_known
    if event.trigger in SELECTION_TRIGGERS:
        return partner_known
    return True


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
