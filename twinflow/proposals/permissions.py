"""Who sees which bid, and who may know which one was chosen.

A bid is a Member State's proposal with everything about it: the documents it uploaded for it
and the audit events of both. Bids are sealed: the Member State that made one sees it; a rival
Member State never does, before or after the call, in this call round or another; the
beneficiary, the coordinators and the administrators see them once their call round has closed
(a re-circulation opens a new round: the earlier rounds' bids stay readable to them), and
while a call is open they see only how many bids arrived (`can_count_bids`). Which bid was
chosen (and what was said while choosing) is known to those who choose, and to a Member State
only once it is the lead partner (`select_partner` applied) or the project is public.
"""

from twinflow.projects.permissions import can_view_project, is_public

CALL_NOT_CLOSED = ("fiche_drafting", "fiche_review", "call_open")


def call_closed(project) -> bool:
    return project.state not in CALL_NOT_CLOSED


def can_view_bid(user, project, member_state: str | None, earlier_round: bool = False) -> bool:
    """May this user see the bid of `member_state` (None: a bid of no known Member State)?
    `earlier_round`: the bid answered a call round that a re-circulation has ended."""
    if not can_view_project(user, project):
        return False
    if user.role == "member_state":
        return member_state is not None and member_state == user.country
    return earlier_round or call_closed(project)


def can_count_bids(user, project) -> bool:
    """How many bids the open call received (never whose or what): for those who will choose
    (and the administrators); a Member State learns nothing of its rivals, not even that."""
    return can_view_project(user, project) and user.role != "member_state"


def in_earlier_round(project, proposal=None, *, at=None) -> bool:
    """Whether a bid (a proposal, or a bid's document or event dated `at`) belongs to a call
    round before the current one. Bids arrive only while a round is open, and each round
    starts when the fiche is (re-)circulated, so a date before that start is an earlier one."""
    if proposal is not None:
        return proposal.call_round < project.call_round
    start = project.circulated_at
    return project.call_round > 1 and start is not None and at is not None and at < start


def can_view_proposal(user, project, proposal) -> bool:
    return can_view_bid(user, project, proposal.member_state, in_earlier_round(project, proposal))


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
