"""Who sees which bid, and who may know which one was chosen.

A bid is a Member State's proposal with everything about it: the documents it uploaded for it
and the audit events of both. Bids are sealed: the Member State that made one sees it; a rival
Member State never does, before or after the call; the beneficiary, the coordinators and the
administrators see them once the call has closed. Which bid was chosen (and what was said
while choosing) is known to those who choose, and to a Member State only once it is the lead
partner (`select_partner` applied) or the project is public.
"""

from twinflow.projects.permissions import can_view_project, is_public

CALL_NOT_CLOSED = ("fiche_drafting", "fiche_review", "call_open")


def call_closed(project) -> bool:
    return project.state not in CALL_NOT_CLOSED


def can_view_bid(user, project, member_state: str | None) -> bool:
    """May this user see the bid of `member_state` (None: a bid of no known Member State)?"""
    if not can_view_project(user, project):
        return False
    if user.role == "member_state":
        return member_state is not None and member_state == user.country
    return call_closed(project)


def can_view_proposal(user, project, proposal) -> bool:
    return can_view_bid(user, project, proposal.member_state)


def selection_known_to(user, project) -> bool:
    """May this user know which proposal is marked or chosen, and read what was said while
    choosing? A marked bid is not a choice yet: its Member State learns it when the
    approvals of select_partner are complete and it becomes the lead."""
    if not can_view_project(user, project):
        return False
    if user.role != "member_state":
        return True
    lead = project.lead_member_state
    return is_public(project) or (lead is not None and lead == user.country)


def can_submit_proposal(user, project) -> bool:
    return (
        user is not None and user.is_active and user.role == "member_state" and bool(user.country)
    )


def can_select_proposal(user, engine_parties: list[str]) -> bool:
    return "coordinator" in engine_parties or "beneficiary" in engine_parties
