"""An NCP's forwarding of one call round to the institutions of its Member State."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.orm import Base, utcnow


class CallForwarding(Base):
    __tablename__ = "call_forwardings"
    # One forwarding per Member State and call round; forwarding again updates it.
    __table_args__ = (UniqueConstraint("project_id", "call_round", "member_state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    call_round: Mapped[int]
    member_state: Mapped[str] = mapped_column(String(2))
    # The NCP's own deadline for its institutions, before the call's (None: the call's).
    internal_deadline: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")
    forwarded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    forwarded_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<CallForwarding {self.id} project={self.project_id} {self.member_state}>"
