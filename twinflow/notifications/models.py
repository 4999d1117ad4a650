"""Notifications are written in the transaction that causes them; their e-mails are queued
and sent by the scheduler's pass after commit."""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.orm import Base, utcnow


class Notification(Base):
    __tablename__ = "notifications"
    # The inbox: a user's notifications, newest first, and the unread count.
    __table_args__ = (
        Index("ix_notifications_inbox", "user_id", "read_at", "created_at"),
        # The scheduler's queue of e-mails still to write to the outbox: only pending rows.
        Index(
            "ix_notifications_mail_pending",
            "id",
            postgresql_where=text("mail_pending"),
            sqlite_where=text("mail_pending"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique per cause and recipient, e.g. "deadline:12:reminder:3d:user:7": a second scheduler
    # pass inserting the same key is refused by the database, so nobody is told twice.
    key: Mapped[str] = mapped_column(String(160), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # True until the scheduler has put its e-mail in the outbox (never for digest readers):
    # the transaction that notifies writes one row per recipient, nothing more.
    mail_pending: Mapped[bool] = mapped_column(default=False, server_default=false())

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} user={self.user_id}>"


class OutboxEmail(Base):
    """One e-mail to send. queued -> sending (claimed, with a lease in next_attempt_at) -> sent;
    a transient failure goes back to queued with a later next_attempt_at, a permanent refusal
    to failed. A 'sending' row whose lease ran out is claimed again (at-least-once)."""

    __tablename__ = "outbox_emails"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", "outbox_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id"), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<OutboxEmail {self.id} {self.status} to={self.to_address}>"


class Digest(Base):
    """One daily digest of a user's notifications; the unique period end makes a second
    scheduler pass (or a concurrent one) skip a digest already made."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("user_id", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    notification_count: Mapped[int] = mapped_column(default=0)
    outbox_email_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_emails.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Digest {self.id} user={self.user_id} until={self.period_end:%Y-%m-%d %H:%M}>"
