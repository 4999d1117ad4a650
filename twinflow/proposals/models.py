"""A Member State's proposal in answer to one call (one circulation round) of a project."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.orm import Base, utcnow


class Proposal(Base):
    __tablename__ = "proposals"
    # The Manual allows one proposal per Member State per call; the database enforces it.
    __table_args__ = (UniqueConstraint("project_id", "call_round", "member_state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    call_round: Mapped[int] = mapped_column(default=1)
    member_state: Mapped[str] = mapped_column(String(2))
    lead_member_state: Mapped[str] = mapped_column(String(2))
    junior_member_states: Mapped[list] = mapped_column(default=list)
    project_leader: Mapped[str] = mapped_column(String(200))
    rta_name: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    is_selected: Mapped[bool] = mapped_column(default=False)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Proposal {self.id} project={self.project_id} {self.member_state}>"
