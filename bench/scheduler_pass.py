"""Benchmark: one scheduler pass with 100 due reminders among 1,000 and among 100,000
deadlines (a tenth as many projects), on SQLite and PostgreSQL. Not a test.

    .venv/bin/python bench/scheduler_pass.py [--backends sqlite,postgresql] [--repeat 5]

PostgreSQL: TWINFLOW_BENCH_DATABASE_URL (or TWINFLOW_TEST_DATABASE_URL) names a server where
the user may create databases; a throwaway database is made and dropped. The pass is measured
without SMTP delivery (deliver=False): sending costs the same whatever the table size, and
would only hide what the table size does to the pass.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, delete, func, insert, select, text, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from config import TestingConfig  # noqa: E402
from twinflow.audit.keys import engine_options  # noqa: E402
from twinflow.clock import FrozenClock  # noqa: E402
from twinflow.deadlines.models import Deadline  # noqa: E402
from twinflow.deadlines.scheduler import PassSettings, run_pass  # noqa: E402
from twinflow.notifications.models import Notification, OutboxEmail  # noqa: E402
from twinflow.notifications.smtp import SmtpSettings  # noqa: E402
from twinflow.projects.models import Project  # noqa: E402

DUE = 100
SIZES = (1_000, 100_000)
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
SETTINGS = PassSettings(
    base_url="http://bench.invalid",
    smtp=SmtpSettings(host=None),
    timezone=ZoneInfo("UTC"),
)


def migrate(url: str) -> None:
    from flask_migrate import upgrade

    from twinflow import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        from twinflow.extensions import db

        db.engine.dispose()


def seed(engine, total: int) -> None:
    """`total` deadlines over total/10 projects; DUE of them due now, the rest later or closed."""
    from twinflow.auth.operations import create_user
    from twinflow.projects.operations import create_project
    from twinflow.workflow.engine import Engine
    from twinflow.workflow.registry import WorkflowRegistry

    clock = FrozenClock(NOW - timedelta(days=30))
    with Session(engine, expire_on_commit=False) as session:
        wf_engine = Engine(WorkflowRegistry(), clock)
        user = create_user(
            session,
            email="beneficiary@bench.invalid",
            password="bench-password",
            role="beneficiary",
            organisation="Ministry of Justice of Georgia",
            country="GE",
            now=clock.now(),
            hash_method="pbkdf2:sha256:1000",
        )
        template = create_project(
            session,
            wf_engine,
            user,
            dict(
                title="Bench project",
                workflow="twinning",
                sector="JH",
                instrument="ENI",
                budget_eur=1_000_000,
                implementation_months=24,
            ),
        )
        columns = {
            c.key: getattr(template, c.key)
            for c in Project.__table__.columns
            if c.key not in ("id", "reference")
        }
        projects = total // 10
        for start in range(1, projects, 5_000):
            session.execute(
                insert(Project),
                [
                    dict(columns, reference=f"BENCH {i:06d}")
                    for i in range(start, min(start + 5_000, projects))
                ],
            )
        ids = session.scalars(select(Project.id).order_by(Project.id)).all()
        rows = []
        step = total // DUE
        for i in range(total):
            due_now = i % step == 0
            closed = not due_now and i % 3 == 0
            due_at = NOW + timedelta(days=3 if due_now else 10 + i % 365)
            # The due ones fall on 100 different projects in both sizes, as the same work.
            project = ids[(i // step) * len(ids) // DUE] if due_now else ids[i % len(ids)]
            rows.append(
                dict(
                    project_id=project,
                    key=f"bench_{i}",
                    title="Bench deadline",
                    set_in_state="implementation",
                    met_on="record",
                    due_at=due_at,
                    status="met" if closed else "open",
                    reminder_offsets_days=[3],
                    notify_parties=["beneficiary"],
                    escalate_every_days=7,
                    next_alert_at=None if closed else due_at - timedelta(days=3),
                    alerts_sent=0,
                    created_at=NOW - timedelta(days=30),
                )
            )
            if len(rows) == 10_000:
                session.execute(insert(Deadline), rows)
                rows = []
        if rows:
            session.execute(insert(Deadline), rows)
        session.commit()
        due = session.scalar(
            select(func.count(Deadline.id)).where(
                Deadline.status == "open", Deadline.next_alert_at <= NOW
            )
        )
        assert due == DUE, due
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()


def reset(engine) -> None:
    """Put the DUE reminders back as they were, so the next run does the same work."""
    with Session(engine) as session:
        session.execute(delete(OutboxEmail))
        session.execute(delete(Notification))
        session.execute(
            update(Deadline)
            .where(Deadline.last_alert.is_not(None))
            .values(
                next_alert_at=NOW,  # every due reminder is due at NOW + 3 days
                last_alert=None,
                last_alert_at=None,
                alerts_sent=0,
            )
        )
        session.commit()


def measure_once(engine) -> float:
    reset(engine)
    with Session(engine, expire_on_commit=False) as session:
        started = time.perf_counter()
        result = run_pass(session, FrozenClock(NOW), SETTINGS, deliver=False)
        elapsed = time.perf_counter() - started
    assert result.alerts.deadlines == DUE and result.alerts.notifications == DUE, result
    return elapsed


def plan(engine) -> str:
    if engine.dialect.name == "postgresql":
        from twinflow.deadlines.reminders import _CLAIM_PG

        with engine.connect() as conn:
            compiled = str(_CLAIM_PG).replace(":now", "'2027-03-01 09:00:00+00'")
            compiled = compiled.replace(":limit", "100")
            rows = conn.execute(text("EXPLAIN " + compiled)).all()
            conn.rollback()
        return " | ".join(str(r[0]).strip() for r in rows)
    query = (
        "EXPLAIN QUERY PLAN SELECT id FROM deadlines WHERE status = 'open' AND "
        "next_alert_at <= '2027-03-01 09:00:00' ORDER BY next_alert_at LIMIT 100"
        if engine.dialect.name == "sqlite"
        else "EXPLAIN SELECT id FROM deadlines WHERE status = 'open' AND "
        "next_alert_at <= '2027-03-01 09:00:00+00' ORDER BY next_alert_at LIMIT 100"
    )
    with engine.connect() as conn:
        return " | ".join(str(r[-1]).strip() for r in conn.execute(text(query)))


# The test suite's key: the seeded chains verify like the suite's.
BENCH_KEY = engine_options(TestingConfig.AUDIT_KEY)


@contextmanager
def sqlite_database():
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        migrate(url)
        engine = create_engine(url, execution_options=BENCH_KEY)
        try:
            yield engine
        finally:
            engine.dispose()


@contextmanager
def postgresql_database():
    base = os.environ.get("TWINFLOW_BENCH_DATABASE_URL") or os.environ.get(
        "TWINFLOW_TEST_DATABASE_URL", "postgresql://twinflow:twinflow@127.0.0.1:5432/twinflow"
    )
    base_url = make_url(base).set(drivername="postgresql+psycopg")
    name = f"tf_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = base_url.set(database=name).render_as_string(hide_password=False)
        migrate(url)
        engine = create_engine(url, execution_options=BENCH_KEY)
        try:
            yield engine
        finally:
            engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def bench_backend(database, repeat: int) -> None:
    """Both sizes are set up first, then measured in turn (small, large, small ...), so a
    neighbour's load on this shared machine falls on both alike."""
    with ExitStack() as stack:
        engines = {}
        for size in SIZES:
            engines[size] = stack.enter_context(database())
            seed(engines[size], size)
        times = {size: [] for size in SIZES}
        for _ in range(repeat):
            for size in SIZES:
                times[size].append(measure_once(engines[size]))
        name = engines[SIZES[0]].dialect.name
        for size in SIZES:
            median, best = statistics.median(times[size]) * 1000, min(times[size]) * 1000
            print(f"  {name:10} {size:>7,} deadlines: median {median:7.1f} ms, best {best:7.1f} ms")
        print(f"  {name:10} plan of the claim: {plan(engines[SIZES[1]])}")
        for label, pick in (("median", statistics.median), ("best", min)):
            ratio = pick(times[SIZES[1]]) / pick(times[SIZES[0]])
            verdict = "within" if ratio <= 1.5 else "OVER"
            sizes = f"{SIZES[1]:,} / {SIZES[0]:,}"
            print(f"  {name:10} ratio of the {label}s, {sizes}: {ratio:.2f}x ({verdict} 1.5x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    databases = {"sqlite": sqlite_database, "postgresql": postgresql_database}
    print(f"one scheduler pass, {DUE} due reminders, {args.repeat} runs of each size")
    for backend in args.backends.split(","):
        bench_backend(databases[backend], args.repeat)


if __name__ == "__main__":
    main()
