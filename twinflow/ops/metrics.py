"""GET /metrics in Prometheus' text format.

Counted in each process (prometheus-client; under gunicorn in its multiprocess mode, so one
scrape sums every worker of the machine): HTTP requests and their latency by route and
status, and transitions by workflow and trigger, counted when their transaction commits.
Read from the database at scrape time, the same on every machine: approvals pending, the
e-mail outbox by status, overdue deadlines, alerts waiting, and what each scheduler process
last did (scheduler_runs).
"""

import hmac
import ipaddress
import os
from datetime import timedelta

from flask import Blueprint, Response, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import event, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from twinflow.ops.heartbeat import COUNT_COLUMNS
from twinflow.workflow.engine import APPLIED_TRANSITIONS

REQUESTS = Counter(
    "twinflow_http_requests", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "twinflow_http_request_duration_seconds",
    "Time to answer an HTTP request (until the body starts streaming)",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TRANSITIONS = Counter(
    "twinflow_transitions", "Workflow transitions applied (committed)", ["workflow", "trigger"]
)
OUTBOX_STATUSES = ("queued", "sending", "sent", "failed")
# A scheduler not heard of for a day is gone: its row is no longer shown.
SCHEDULER_SHOWN_FOR = timedelta(days=1)

blueprint = Blueprint("ops_metrics", __name__)


def observe_request(method: str, route: str | None, status: int, seconds: float) -> None:
    labels = (method, route or "unmatched", str(status))
    REQUESTS.labels(*labels).inc()
    LATENCY.labels(*labels).observe(seconds)


def _count_committed(session: Session) -> None:
    for workflow, trigger in session.info.pop(APPLIED_TRANSITIONS, ()):
        TRANSITIONS.labels(workflow, trigger).inc()


def _forget_rolled_back(session: Session, *_args) -> None:
    session.info.pop(APPLIED_TRANSITIONS, None)


def listen_for_transitions() -> None:
    """The engine notes each transition in session.info; it is counted once committed."""
    if not event.contains(Session, "after_commit", _count_committed):
        event.listen(Session, "after_commit", _count_committed)
        event.listen(Session, "after_rollback", _forget_rolled_back)


class _ProcessMetrics:
    """This process's own metrics (no multiprocess directory: the demo, tests, `flask run`)."""

    def collect(self):
        return REGISTRY.collect()


class DatabaseMetrics:
    """Gauges read at scrape time; if the database cannot be read, twinflow_database_up 0."""

    def __init__(self, engine, now):
        self.engine, self.now = engine, now

    def collect(self):
        up = GaugeMetricFamily("twinflow_database_up", "1 when /metrics could read the database")
        try:
            with self.engine.connect() as conn:
                families = list(_database_families(conn, self.now))
        except SQLAlchemyError:
            current_app.logger.warning("metrics: the database could not be read", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families


def _database_families(conn, now):
    from twinflow.approvals.models import Signoff
    from twinflow.deadlines.models import Deadline
    from twinflow.notifications.models import OutboxEmail
    from twinflow.ops.models import SchedulerRun

    pending = GaugeMetricFamily(
        "twinflow_approvals_pending", "Approval requests waiting for sign-off", labels=["trigger"]
    )
    for trigger, count in conn.execute(
        select(Signoff.trigger, func.count())
        .where(Signoff.status == "pending", Signoff.subject_type == "project")
        .group_by(Signoff.trigger)
    ):
        pending.add_metric([trigger], count)
    yield pending

    outbox = GaugeMetricFamily("twinflow_outbox_emails", "E-mails by status", labels=["status"])
    found = dict(
        conn.execute(select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)).all()
    )
    for status in OUTBOX_STATUSES:
        outbox.add_metric([status], found.get(status, 0))
    yield outbox

    is_open = Deadline.status == "open"
    overdue = conn.scalar(select(func.count()).where(is_open, Deadline.due_at < now))
    yield GaugeMetricFamily(
        "twinflow_deadlines_overdue", "Open deadlines past their due date", value=overdue
    )
    waiting = conn.scalar(select(func.count()).where(is_open, Deadline.next_alert_at <= now))
    yield GaugeMetricFamily(
        "twinflow_deadline_alerts_due",
        "Reminders and escalations due but not yet sent (grows while no scheduler runs)",
        value=waiting,
    )
    yield from _scheduler_families(conn, now, SchedulerRun)


def _scheduler_families(conn, now, run):
    last_at = GaugeMetricFamily(
        "twinflow_scheduler_last_pass_timestamp_seconds",
        "When the scheduler process last finished a pass (Unix time)",
        labels=["scheduler"],
    )
    duration = GaugeMetricFamily(
        "twinflow_scheduler_last_pass_duration_seconds",
        "How long its last pass took",
        labels=["scheduler"],
    )
    passes = CounterMetricFamily(
        "twinflow_scheduler_passes", "Passes run", labels=["scheduler", "outcome"]
    )
    rows = CounterMetricFamily(
        "twinflow_scheduler_rows", "Rows its passes handled", labels=["scheduler", "kind"]
    )
    seen = func.coalesce(run.last_pass_at, run.started_at)
    recent = select(run.__table__).where(seen >= now - SCHEDULER_SHOWN_FOR).order_by(run.name)
    for row in conn.execute(recent).mappings():
        name = row["name"]
        if row["last_pass_at"] is not None:
            last_at.add_metric([name], row["last_pass_at"].timestamp())
        duration.add_metric([name], row["last_duration_seconds"])
        passes.add_metric([name, "ok"], row["passes"])
        passes.add_metric([name, "failed"], row["failed_passes"])
        for kind in COUNT_COLUMNS:
            rows.add_metric([name, kind], row[kind])
    yield from (last_at, duration, passes, rows)


def _allowed() -> Response | None:
    """None when this caller may read the metrics, else the refusal."""
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        # As bytes: compare_digest refuses str with non-ASCII characters (a client's choice).
        presented = given.strip().encode("utf-8", "surrogateescape")
        if scheme.lower() == "bearer" and hmac.compare_digest(presented, token.encode()):
            return None
        refusal = Response("A metrics token is required.\n", 401, mimetype="text/plain")
        refusal.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return refusal
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
        allowed = any(address in net for net in networks(current_app.config))
    except ValueError:
        allowed = False
    if allowed:
        return None
    return Response("Metrics are served to internal addresses only.\n", 403, mimetype="text/plain")


def networks(config) -> list:
    text = config.get("METRICS_NETWORKS") or ""
    try:
        return [ipaddress.ip_network(n.strip()) for n in text.split(",") if n.strip()]
    except ValueError as exc:
        raise ValueError(f"TWINFLOW_METRICS_NETWORKS: {exc}") from None


@blueprint.get("/metrics")
def scrape():
    refused = _allowed()
    if refused is not None:
        return refused
    from twinflow.extensions import db

    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ProcessMetrics())
    clock = current_app.extensions["twinflow.engine"].clock
    registry.register(DatabaseMetrics(db.engine, clock.now()))
    response = Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response
