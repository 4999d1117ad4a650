"""Who may see and change implementation records: named predicates over the parties a user
acts as on the project (engine.parties), shared by operations, API and pages."""

from twinflow.projects.permissions import can_view_project

LEADERS = ("beneficiary", "lead_member_state")
# The project leaders run implementation; the coordinator (contracting authority) monitors.
MANAGERS = (*LEADERS, "coordinator")
# Documents every viewer of the project may read: the fiche is what Member States answer.
OPEN_CATEGORIES = ("fiche",)


def can_view_records(user, project, parties: list[str]) -> bool:
    """Team, results, activities, reports and changes: the project's own parties, and admins
    (auditors). Member States that were not selected see the public project page only."""
    if not can_view_project(user, project):
        return False
    return user.role == "admin" or any(p in MANAGERS for p in parties)


def can_manage_records(parties: list[str]) -> bool:
    return any(p in MANAGERS for p in parties)


def can_view_document(user, project, parties: list[str], document, uploader) -> bool:
    if not can_view_project(user, project):
        return False
    if user.role == "admin" or document.category in OPEN_CATEGORIES:
        return True
    if document.category == "proposal":
        # A Member State's proposal stays with it, the beneficiary and the coordinators.
        if user.role == "member_state":
            return uploader is not None and uploader.country == user.country
        return any(p in ("beneficiary", "coordinator") for p in parties)
    return any(p in MANAGERS for p in parties)


def can_upload_document(project, parties: list[str], category: str) -> bool:
    if "coordinator" in parties or "beneficiary" in parties:
        return True
    if category == "proposal":
        return "member_state" in parties and project.state == "call_open"
    return "lead_member_state" in parties
