"""Sign-offs: a step that waits for the consent of several parties (a project's select_partner,
a report's submission, a side letter's agreement...), and each party's decision. One table for
projects and records alike, so "what waits for me" has one answer."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from twinflow.orm import Base, utcnow


class Signoff(Base):
    __tablename__ = "signoffs"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'withdrawn')", "signoff_status"
        ),
        Index("ix_signoffs_subject", "subject_type", "subject_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    # 'project' (subject_id is the project's id) or a record type (report, side_letter ...).
    subject_type: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[int]
    trigger: Mapped[str] = mapped_column(String(60))
    from_state: Mapped[str] = mapped_column(String(60))
    # A record's signing round: a returned or re-edited record is signed afresh.
    round: Mapped[int] = mapped_column(default=1)
    parties: Mapped[list] = mapped_column()
    # Any `needs` of the parties suffice; None: every one of them.
    needs: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    comment: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(default=dict)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    decisions: Mapped[list["SignoffDecision"]] = relationship(
        back_populates="signoff", order_by="SignoffDecision.id", lazy="selectin"
    )

    @property
    def is_project(self) -> bool:
        return self.subject_type == "project"

    @property
    def approved_parties(self) -> list[str]:
        return [d.party for d in self.decisions if d.decision == "approve"]

    @property
    def complete(self) -> bool:
        return len(self.approved_parties) >= (self.needs or len(self.parties))

    @property
    def owed_parties(self) -> list[str]:
        """The parties that may still consent while the sign-off is incomplete."""
        if self.complete:
            return []
        decided = {d.party for d in self.decisions}
        return [p for p in self.parties if p not in decided]

    def __repr__(self) -> str:
        return f"<Signoff {self.id} {self.subject_type}:{self.subject_id} {self.trigger}>"


class SignoffDecision(Base):
    __tablename__ = "signoff_decisions"
    # One decision per party, and one user never decides for two parties of a sign-off.
    __table_args__ = (
        UniqueConstraint("signoff_id", "party"),
        UniqueConstraint("signoff_id", "user_id"),
        CheckConstraint("decision IN ('approve', 'reject')", "decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    signoff_id: Mapped[int] = mapped_column(ForeignKey("signoffs.id"), index=True)
    party: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    signoff: Mapped[Signoff] = relationship(back_populates="decisions")

    def __repr__(self) -> str:
        return f"<SignoffDecision {self.party} {self.decision}>"
