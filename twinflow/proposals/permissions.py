"""Who sees which proposal: a Member State its own; others only once the call has closed."""

from twinflow.projects.permissions import can_view_project

CALL_NOT_CLOSED = ("fiche_drafting", "fiche_review", "call_open")


def can_view_proposal(user, project, proposal) -> bool:
    if not can_view_project(user, project):
        return False
    if user.role == "member_state":
        return proposal.member_state == user.country
    return project.state not in CALL_NOT_CLOSED


def can_submit_proposal(user, project) -> bool:
    return (
        user is not None and user.is_active and user.role == "member_state" and bool(user.country)
    )


def can_select_proposal(user, engine_parties: list[str]) -> bool:
    return "coordinator" in engine_parties or "beneficiary" in engine_parties
