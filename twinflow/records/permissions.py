"""Who may see and change implementation records: named predicates over the parties a user acts
as on the project (engine.parties / workflow.parties.parties_on), shared by operations, API,
pages and the audit trail's rule."""

from twinflow.projects.permissions import can_view_project

LEADERS = ("beneficiary", "lead_member_state")
# The project leaders run implementation; the coordinator (contracting authority) monitors.
MANAGERS = (*LEADERS, "coordinator")


def can_view_records(user, project, parties: list[str]) -> bool:
    """Team, results, activities, reports and changes: the project's own parties, and admins
    (auditors). Member States that were not selected see the public project page only."""
    if not can_view_project(user, project):
        return False
    return user.role == "admin" or any(p in MANAGERS for p in parties)


def can_manage_records(parties: list[str]) -> bool:
    return any(p in MANAGERS for p in parties)
