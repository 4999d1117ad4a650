"""Who may see and attach documents: one rule by what a document says of itself (its category
and the Member State that owns it), shared by operations, API, pages and the audit trail's rule."""

from twinflow.projects.permissions import can_view_project
from twinflow.proposals.permissions import can_view_bid, in_earlier_round
from twinflow.records.permissions import MANAGERS

# Those who choose the partner among the bids.
CHOOSERS = ("beneficiary", "coordinator")
# Documents every viewer of the project may read: the fiche is what Member States answer.
OPEN_CATEGORIES = ("fiche",)
# A Member State's bid: sealed like the proposal itself (proposals/permissions.py).
BID_CATEGORIES = ("proposal",)
# The record of choosing (the evaluation grid, every bid's scores): for those who choose.
SELECTION_CATEGORIES = ("selection_minutes",)


def document_owner(uploader) -> str | None:
    """The Member State a document belongs to: its uploader's, when a Member State user
    uploaded it (the audit events of a document carry the same as `member_state`)."""
    if uploader is None or uploader.role != "member_state":
        return None
    return uploader.country


def can_view_document_of(
    user,
    project,
    parties: list[str],
    category: str | None,
    owner: str | None,
    earlier_round: bool = False,
) -> bool:
    """The one rule for documents, by what a document (or an audit event about one) says of
    itself: its category, the Member State that owns it and whether it belongs to a call
    round a re-circulation ended."""
    if not can_view_project(user, project):
        return False
    if category in BID_CATEGORIES:
        return can_view_bid(user, project, owner, earlier_round)
    if user.role == "admin" or category in OPEN_CATEGORIES:
        return True
    if category in SELECTION_CATEGORIES:
        return any(p in CHOOSERS for p in parties)
    return any(p in MANAGERS for p in parties)


def can_view_document(user, project, parties: list[str], document, uploader) -> bool:
    earlier = in_earlier_round(project, at=document.uploaded_at)
    return can_view_document_of(
        user, project, parties, document.category, document_owner(uploader), earlier
    )


def document_admitted(document) -> bool:
    """Whether refusing this document may admit that it exists (403) rather than deny it (404):
    not for a bid's, whose very existence is sealed."""
    return document.category not in BID_CATEGORIES


def can_upload_document(project, parties: list[str], category: str) -> bool:
    if "coordinator" in parties or "beneficiary" in parties:
        return True
    if category in BID_CATEGORIES:
        return "member_state" in parties and project.state == "call_open"
    if category in SELECTION_CATEGORIES:
        return False
    return "lead_member_state" in parties
