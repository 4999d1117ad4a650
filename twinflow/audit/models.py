"""Audit events form one hash chain; the head row makes appends O(1) and serialises them."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.orm import Base

GENESIS_HASH = "0" * 64


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        # The actor filter's substring match (migration 0025; PostgreSQL only).
        Index(
            "ix_audit_events_actor_email_trgm",
            "actor_email",
            postgresql_using="gin",
            postgresql_ops={"actor_email": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        # The actor filter's addresses, walked one by one, and each one's events by seq
        # (migration 0027; both backends).
        Index("ix_audit_events_actor_email_seq", "actor_email", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_email: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    trigger: Mapped[str | None] = mapped_column(String(60))
    from_state: Mapped[str | None] = mapped_column(String(60))
    to_state: Mapped[str | None] = mapped_column(String(60))
    # Canonical JSON text, hashed exactly as stored.
    data: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.seq} {self.action}>"


class AuditHead(Base):
    """One row: the last sequence number and hash. Locking it serialises appends to the chain.
    `keyed_from`: the first event sealed with the audit key (HMAC); the events before it were
    written before keying began (migration 0011) and carry plain SHA-256 hashes."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)
    keyed_from: Mapped[int] = mapped_column(default=1, server_default=text("1"))
