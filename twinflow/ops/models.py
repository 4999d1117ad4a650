"""What each scheduler process last did, kept in the database so that any web machine's
/metrics can tell it, and an operator can see a scheduler that stopped passing."""

from datetime import datetime

from sqlalchemy import Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.orm import Base, utcnow


class SchedulerRun(Base):
    __tablename__ = "scheduler_runs"

    # "host:pid" of the process: one row per scheduler process, pruned a day after its end.
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_pass_at: Mapped[datetime | None]
    last_duration_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    passes: Mapped[int] = mapped_column(default=0)
    failed_passes: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # Running totals of the rows its passes handled.
    deadline_alerts: Mapped[int] = mapped_column(default=0)
    notifications: Mapped[int] = mapped_column(default=0)
    digests: Mapped[int] = mapped_column(default=0)
    mails_queued: Mapped[int] = mapped_column(default=0)
    mails_sent: Mapped[int] = mapped_column(default=0)
    mails_failed: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<SchedulerRun {self.name} passes={self.passes}>"
