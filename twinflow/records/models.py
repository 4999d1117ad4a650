"""What every record with its own small workflow carries (reports, side letters, addenda), and
the co-signatures given on its steps."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.orm import Base, one_of, utcnow

RECORD_TYPES = ("report", "side_letter", "addendum")


class RecordMixin:
    """What every record with its own small workflow carries."""

    state: Mapped[str] = mapped_column(String(30))
    workflow_version: Mapped[str] = mapped_column(String(16))
    # Bumped whenever signatures must be collected afresh (returned, or edited after signing).
    signing_round: Mapped[int] = mapped_column(default=1)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_comment: Mapped[str | None] = mapped_column(Text)


class RecordSignature(Base):
    """One party's signature on a record's transition (co-signing), per signing round."""

    __tablename__ = "record_signatures"
    __table_args__ = (
        # One signature per party, and one user never signs for two parties, in a round.
        # Named explicitly: the generated names pass PostgreSQL's 63-character limit.
        UniqueConstraint(
            "record_type",
            "record_id",
            "signing_round",
            "trigger",
            "party",
            name="uq_record_signatures_party",
        ),
        UniqueConstraint(
            "record_type",
            "record_id",
            "signing_round",
            "trigger",
            "user_id",
            name="uq_record_signatures_user",
        ),
        CheckConstraint(one_of("record_type", RECORD_TYPES), "signature_record_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Reports and change requests live in two tables, hence a typed reference, not a FK.
    record_type: Mapped[str] = mapped_column(String(12))
    record_id: Mapped[int]
    signing_round: Mapped[int]
    trigger: Mapped[str] = mapped_column(String(60))
    party: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<RecordSignature {self.record_type}:{self.record_id} {self.party}>"
