"""A transition waiting for several parties, and each party's decision."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from twinflow.orm import Base, utcnow


class ApprovalRequest(Base):
    __tablename__ = "approval_requests"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'withdrawn')", "approval_status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(60))
    from_state: Mapped[str] = mapped_column(String(60))
    parties: Mapped[list] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    comment: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(default=dict)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    decisions: Mapped[list["ApprovalDecision"]] = relationship(
        back_populates="request", order_by="ApprovalDecision.id", lazy="selectin"
    )

    @property
    def approved_parties(self) -> list[str]:
        return [d.party for d in self.decisions if d.decision == "approve"]

    @property
    def owed_parties(self) -> list[str]:
        decided = {d.party for d in self.decisions}
        return [p for p in self.parties if p not in decided]

    def __repr__(self) -> str:
        return f"<ApprovalRequest {self.id} {self.trigger} {self.status}>"


class ApprovalDecision(Base):
    __tablename__ = "approval_decisions"
    # One decision per party, and one user never decides for two parties of a request.
    __table_args__ = (
        UniqueConstraint("request_id", "party"),
        UniqueConstraint("request_id", "user_id"),
        CheckConstraint("decision IN ('approve', 'reject')", "decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id"))
    party: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped[ApprovalRequest] = relationship(back_populates="decisions")

    def __repr__(self) -> str:
        return f"<ApprovalDecision {self.party} {self.decision}>"
