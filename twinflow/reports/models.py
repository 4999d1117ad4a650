"""Interim (quarterly) reports and the final report, each moving along its own workflow."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.i18n import gettext as _
from twinflow.orm import Base, one_of
from twinflow.records.models import RecordMixin

REPORT_KINDS = ("interim", "final")


class Report(RecordMixin, Base):
    """An interim (quarterly) report or the final report."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("project_id", "kind", "number"),
        CheckConstraint(one_of("kind", REPORT_KINDS), "report_kind"),
    )
    record_type = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    # The quarter for an interim report; 1 for the (single) final report.
    number: Mapped[int]
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")

    @property
    def workflow_name(self) -> str:
        return "report"

    @property
    def deadline_key(self) -> str:
        return f"interim_report#{self.number}" if self.kind == "interim" else "final_report"

    @property
    def label(self) -> str:
        if self.kind == "interim":
            return _("Interim report %(number)s", number=self.number)
        return _("Final report")

    def __repr__(self) -> str:
        return f"<Report {self.id} {self.kind} #{self.number} {self.state}>"
