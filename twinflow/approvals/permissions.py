"""Who may read a request for approval: its trigger, its comment, its data and its decisions.

Every reader of a project follows its sign-offs, except those of choosing the partner: the
request and its decisions name (or weigh) the proposals, so they are read by those who may
know the choice (proposals/permissions.py `selection_known_to`), never by a rival Member
State, nor by the marked one before the choice is approved. The audit events of a request
follow the same rule (audit/permissions.py).
"""

from twinflow.projects.permissions import can_view_project
from twinflow.proposals.permissions import selection_known_to

# Transitions that choose the partner among the bids.
SELECTION_TRIGGERS = ("select_partner", "take_up_reserve")


def can_view_approval_of(user, project, trigger: str | None) -> bool:
    """May this user read a request (or an event of one) to fire `trigger` on the project?"""
    if not can_view_project(user, project):
        return False
    if trigger in SELECTION_TRIGGERS:
        return selection_known_to(user, project)
    return True


def can_view_approval(user, project, approval) -> bool:
    return approval.project_id == project.id and can_view_approval_of(
        user, project, approval.trigger
    )


def can_view_signoff(user, project, signoff, parties: list[str]) -> bool:
    """A project's sign-off as above; a record's (a co-signature) as the record itself: the
    project's own parties and administrators (records/permissions.py)."""
    from twinflow.records.permissions import can_view_records

    if signoff.is_project:
        return can_view_approval(user, project, signoff)
    return signoff.project_id == project.id and can_view_records(user, project, parties)


def visible_approvals(user, project, approvals) -> list:
    """`approvals` of `project` this user may read, in their order."""
    return [a for a in approvals if can_view_approval(user, project, a)]
