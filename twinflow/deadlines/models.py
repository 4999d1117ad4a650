"""A dated obligation on a project, created and closed by the engine as the project moves."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.orm import Base, utcnow

# "waived": a coordinator released the project from it, with a reason (deadlines/waivers.py).
# "historical": fell before the project was imported (its past): never reminded, never escalated.
STATUSES = ("open", "met", "superseded", "cancelled", "waived", "historical")


class Deadline(Base):
    __tablename__ = "deadlines"
    __table_args__ = (
        CheckConstraint(
            "status IN ('open', 'met', 'superseded', 'cancelled', 'waived', 'historical')",
            "deadline_status",
        ),
        # The scheduler's only query: open deadlines whose next alert is due. Its cost follows
        # the number due, not the number of projects.
        Index("ix_deadlines_due_alerts", "status", "next_alert_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    # The project state whose entry set this deadline.
    set_in_state: Mapped[str] = mapped_column(String(60))
    # "exit": met when that state is left; "record": met when the report it asks for is recorded.
    met_on: Mapped[str] = mapped_column(String(10), default="exit")
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default="open")
    reminder_offsets_days: Mapped[list] = mapped_column(default=list)
    notify_parties: Mapped[list] = mapped_column(default=list)
    escalate_every_days: Mapped[int | None]
    # When the scheduler must next look at this deadline (a reminder or an escalation); None
    # when nothing more is owed, or while the project is on a detour such as a suspension.
    next_alert_at: Mapped[datetime | None]
    alerts_sent: Mapped[int] = mapped_column(default=0)
    # The last alert sent, e.g. "reminder:3d" or "escalation:2", and when.
    last_alert: Mapped[str | None] = mapped_column(String(40))
    last_alert_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    # Set when a coordinator waived this deadline or set its date by hand (a move): who and
    # why. A deadline dated by hand keeps its date when the project's dates change.
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def dated_by_hand(self) -> bool:
        return self.decided_by_id is not None and self.status != "waived"

    def is_overdue(self, now: datetime) -> bool:
        return self.status == "open" and self.due_at < now

    def __repr__(self) -> str:
        return f"<Deadline {self.id} {self.key} {self.due_at:%Y-%m-%d} {self.status}>"


class CalendarToken(Base):
    """A secret calendar-feed URL of one user; only its SHA-256 is stored, and it can be
    revoked (issuing a new one revokes the old), so a leaked URL can be cut off."""

    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<CalendarToken {self.id} user={self.user_id}>"
