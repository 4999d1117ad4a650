"""The scheduler pass (alerts, digests, then the outbox) and the APScheduler process that runs
it periodically. Never started inside web workers: `twinflow scheduler` is its own process."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from twinflow.deadlines.reminders import AlertResult, send_due_alerts
from twinflow.notifications.digest import make_digests
from twinflow.notifications.mail_queue import queue_pending_mails
from twinflow.notifications.outbox import DeliveryResult, deliver_outbox
from twinflow.notifications.smtp import SmtpSettings
from twinflow.portfolio.kept import fold as fold_portfolio
from twinflow.portfolio.kept import refresh as refresh_portfolio

log = logging.getLogger(__name__)

JOB_ID = "twinflow-scheduler-pass"


@dataclass(frozen=True)
class PassSettings:
    base_url: str
    smtp: SmtpSettings
    timezone: ZoneInfo
    digest_hour: int = 7
    anchor_file: str | None = None  # where the daily audit anchor is appended, if anywhere

    @classmethod
    def from_config(cls, config) -> "PassSettings":
        hour = int(config.get("DIGEST_HOUR", 7))
        if not 0 <= hour <= 23:
            raise ValueError(f"TWINFLOW_DIGEST_HOUR={hour} must be an hour from 0 to 23")
        return cls(
            base_url=config["BASE_URL"],
            smtp=SmtpSettings.from_config(config),
            timezone=ZoneInfo(config.get("TIMEZONE") or "UTC"),
            digest_hour=hour,
            anchor_file=config.get("AUDIT_ANCHOR_FILE") or None,
        )


@dataclass
class PassResult:
    alerts: AlertResult = field(default_factory=AlertResult)
    digests: int = 0
    mails_queued: int = 0
    delivery: DeliveryResult = field(default_factory=DeliveryResult)
    events_folded: int = 0
    figures_refreshed: int = 0

    def summary(self) -> str:
        text = (
            f"{self.alerts.deadlines} deadline alert(s), {self.alerts.notifications} "
            f"notification(s), {self.digests} digest(s); e-mail: {self.mails_queued} queued, "
            f"{self.delivery.sent} sent, "
            f"{self.delivery.retrying} to retry, {self.delivery.failed} failed"
        )
        if self.delivery.not_configured:
            text += " (TWINFLOW_SMTP_HOST not set: e-mail stays queued)"
        if self.events_folded:
            text += f"; {self.events_folded} audit event(s) folded into the portfolio"
        if self.figures_refreshed:
            text += f", its figures computed again for {self.figures_refreshed} scope(s)"
        return text


def run_pass(
    session: Session,
    clock,
    settings: PassSettings,
    *,
    deliver: bool = True,
    step_hook: Callable[[str], None] | None = None,
) -> PassResult:
    """Notifications are committed first; e-mail leaves only afterwards, from the outbox."""
    result = PassResult()
    result.alerts = send_due_alerts(session, clock, base_url=settings.base_url, step_hook=step_hook)
    result.digests = make_digests(
        session,
        clock.now(),
        timezone=settings.timezone,
        hour=settings.digest_hour,
        anchor_file=settings.anchor_file,
    )
    result.mails_queued = queue_pending_mails(session, clock.now())
    if deliver:
        result.delivery = deliver_outbox(session, clock, settings.smtp, step_hook=step_hook)
    # Last, as it is only a cache: the portfolio's kept stays caught up with the trail here,
    # so a page view folds in a few minutes' events at most (kept.py; under its own lock).
    result.events_folded = fold_portfolio(session)
    # And the figures of the scopes in use computed again where a stay ended since: a view
    # right after a transition then reads them instead of computing them (seconds at 10,000).
    result.figures_refreshed = refresh_portfolio(session)
    session.commit()
    return result


def build_scheduler(job: Callable[[], object], *, interval_seconds: int, timezone: ZoneInfo):
    """One periodic job. coalesce: after a pause, run once rather than once per missed slot;
    max_instances=1: never two passes in this process at once; a generous misfire grace so a
    busy machine runs a late pass instead of skipping it. Several processes are still safe:
    the pass claims its rows in the database."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler(timezone=timezone)
    scheduler.add_job(
        job,
        "interval",
        seconds=interval_seconds,
        id=JOB_ID,
        next_run_time=datetime.now(timezone),
        coalesce=True,
        max_instances=1,
        misfire_grace_time=max(3600, interval_seconds * 10),
    )
    return scheduler
