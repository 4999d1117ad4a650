"""Documents attached to a project at any stage, and their bytes when the database keeps them."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.i18n import lazy_gettext
from twinflow.orm import Base, one_of, utcnow

DOCUMENT_CATEGORIES = (
    "fiche",
    "proposal",
    "selection_minutes",
    "work_plan",
    "contract",
    "interim_report",
    "final_report",
    "audit_certificate",
    "steering_minutes",
    "side_letter",
    "addendum",
    "other",
)
# The categories in words, read in the language of the page that shows them.
CATEGORY_WORDS = {
    "fiche": lazy_gettext("Fiche"),
    "proposal": lazy_gettext("Proposal"),
    "selection_minutes": lazy_gettext("Selection minutes"),
    "work_plan": lazy_gettext("Work plan"),
    "contract": lazy_gettext("Contract"),
    "interim_report": lazy_gettext("Interim report"),
    "final_report": lazy_gettext("Final report"),
    "audit_certificate": lazy_gettext("Audit certificate"),
    "steering_minutes": lazy_gettext("Steering minutes"),
    "side_letter": lazy_gettext("Side letter"),
    "addendum": lazy_gettext("Addendum"),
    "other": lazy_gettext("Other"),
}


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (CheckConstraint(one_of("category", DOCUMENT_CATEGORIES), "doc_category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), index=True)
    change_id: Mapped[int | None] = mapped_column(ForeignKey("change_requests.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("steering_meetings.id"))
    # The sanitised name shown and offered on download; never used as a path.
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # Where the storage keeps it, relative to its root; chosen by the server.
    storage_key: Mapped[str] = mapped_column(String(255), unique=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.category} {self.filename!r}>"


class DocumentChunk(Base):
    """A piece of a document's bytes when TWINFLOW_DOCUMENT_STORE=database, so that every web
    machine sees every file. Keyed by the storage key, not the document's id: the bytes are
    written first, in the transaction that then adds the document row."""

    __tablename__ = "document_chunks"

    storage_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)

    def __repr__(self) -> str:
        return f"<DocumentChunk {self.storage_key} #{self.seq}>"
