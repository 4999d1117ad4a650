"""Side letters (minor changes) and addenda (major changes) to the contract."""

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.i18n import gettext
from twinflow.orm import Base, one_of
from twinflow.records.models import RecordMixin

CHANGE_KINDS = ("side_letter", "addendum")


class ChangeRequest(RecordMixin, Base):
    """A side letter (minor change) or an addendum (major change) to the contract."""

    __tablename__ = "change_requests"
    __table_args__ = (
        UniqueConstraint("project_id", "kind", "number"),
        CheckConstraint(one_of("kind", CHANGE_KINDS), "change_kind"),
    )
    record_types = CHANGE_KINDS

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    justification: Mapped[str] = mapped_column(Text, default="")
    # The figures to change, validated against the kind's declared changes.
    changes: Mapped[dict] = mapped_column(default=dict)
    # What the approval actually changed: {"field": {"from": ..., "to": ...}}.
    applied: Mapped[dict | None] = mapped_column()

    @property
    def record_type(self) -> str:
        return self.kind

    @property
    def workflow_name(self) -> str:
        return self.kind

    @property
    def label(self) -> str:
        """ "Side letter 2" in the reader's language (English outside a web request)."""
        if self.kind == "side_letter":
            return gettext("Side letter %(number)s", number=self.number)
        return gettext("Addendum %(number)s", number=self.number)

    def __repr__(self) -> str:
        return f"<ChangeRequest {self.id} {self.kind} #{self.number} {self.state}>"
