"""Each scheduler process writes what its last pass did to scheduler_runs: /metrics on any
machine shows it, and a scheduler that stopped passing shows as an old timestamp."""

import os
import socket
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlalchemy.orm import Session

from twinflow.ops.models import SchedulerRun

# Rows of schedulers not heard of for this long are removed by the others' passes.
FORGET_AFTER = timedelta(days=7)
# The running totals kept per scheduler (columns of scheduler_runs, kinds in /metrics).
COUNT_COLUMNS = (
    "deadline_alerts",
    "notifications",
    "digests",
    "mails_queued",
    "mails_sent",
    "mails_failed",
)


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def pass_counts(result) -> dict[str, int]:
    """The rows a pass handled (a deadlines.scheduler.PassResult), named as in the table."""
    return {
        "deadline_alerts": result.alerts.deadlines,
        "notifications": result.alerts.notifications,
        "digests": result.digests,
        "mails_queued": result.mails_queued,
        "mails_sent": result.delivery.sent,
        "mails_failed": result.delivery.failed,
    }


def record_pass(
    session: Session,
    name: str,
    started_at: datetime,
    now: datetime,
    seconds: float,
    counts: dict[str, int] | None,
    error: str | None = None,
) -> None:
    """counts None: the pass failed with `error`. Commits."""
    row = session.get(SchedulerRun, name)
    if row is None:
        row = SchedulerRun(name=name, started_at=started_at, passes=0, failed_passes=0)
        for column in COUNT_COLUMNS:
            setattr(row, column, 0)
        session.add(row)
    row.last_pass_at, row.last_duration_seconds = now, seconds
    if counts is None:
        row.failed_passes += 1
        row.last_error = (error or "")[:2000]
    else:
        row.passes += 1
        for column, count in counts.items():
            setattr(row, column, getattr(row, column) + count)
    seen = func.coalesce(SchedulerRun.last_pass_at, SchedulerRun.started_at)
    session.execute(delete(SchedulerRun).where(seen < now - FORGET_AFTER))
    session.commit()
