"""Who reads and who writes a fiche: one rule, built on the project visibility rule.

Whoever may see the project may read its fiche, but not all of it. The beneficiary, the
coordinators and administrators read the draft, every revision and the comments. A Member
State (a rival bidder, or later the lead partner) reads only what the call circulated: the
approved revision, never a draft, a comment or another revision.
"""

from twinflow.fiche.sections import template
from twinflow.projects.permissions import can_view_project

FULL = "full"  # drafts, every revision, comments
CIRCULATED = "circulated"  # the approved revision alone


def fiche_access(user, project) -> str | None:
    """FULL, CIRCULATED or None (nothing of the fiche)."""
    if not can_view_project(user, project):
        return None
    if user.role in ("admin", "coordinator", "beneficiary"):
        return FULL
    if user.role == "member_state":
        return CIRCULATED if project.circulated_at is not None else None
    return None


def can_read_revision(user, project, revision, approved_number: int | None) -> bool:
    access = fiche_access(user, project)
    if access == FULL:
        return True
    return access == CIRCULATED and revision.number == approved_number


def acts_for_beneficiary(user, parties: list[str]) -> bool:
    """The beneficiary administration itself, or a coordinator acting for it."""
    return "beneficiary" in parties or getattr(user, "role", None) == "coordinator"


def may_edit_text(user, project, parties: list[str]) -> bool:
    return project.state in template().editable_states and acts_for_beneficiary(user, parties)


def may_edit_particulars(user, project, parties: list[str]) -> bool:
    return project.state in template().particulars_states and acts_for_beneficiary(user, parties)


def may_comment(user, project) -> bool:
    """Section comments go with a return, which only a coordinator makes, during review."""
    return getattr(user, "role", None) == "coordinator" and project.state == "fiche_review"
