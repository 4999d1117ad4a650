"""What a selection leaves behind, per call round: each proposal's assessment and the meeting."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.orm import Base, one_of, utcnow

RECORD_KINDS = ("meeting", "written")


class SelectionAssessment(Base):
    """One proposal as the selection judged it: eligible or not (why), who attended the
    meeting for it, its score and rank."""

    __tablename__ = "selection_assessments"
    __table_args__ = (
        # A proposal found not eligible always says why.
        CheckConstraint("is_eligible OR eligibility_reason IS NOT NULL", "ineligible_needs_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    call_round: Mapped[int]
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), unique=True)
    is_eligible: Mapped[bool]
    eligibility_reason: Mapped[str | None] = mapped_column(Text)
    leader_present: Mapped[bool | None]
    rta_present: Mapped[bool | None]
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    rank: Mapped[int | None]
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<SelectionAssessment proposal={self.proposal_id} eligible={self.is_eligible}>"


class SelectionRecord(Base):
    """The selection meeting of one call round (Twinning Light: the written evaluation)."""

    __tablename__ = "selection_records"
    __table_args__ = (
        UniqueConstraint("project_id", "call_round"),
        CheckConstraint(one_of("kind", RECORD_KINDS), "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    call_round: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    held_on: Mapped[date]
    minutes_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    reserve_proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When select_partner applied (the date the bidders are told) and the reserve was taken up.
    decided_at: Mapped[datetime | None]
    reserve_taken_up_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<SelectionRecord project={self.project_id} round={self.call_round}>"
