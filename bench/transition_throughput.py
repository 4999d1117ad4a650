"""Transition throughput against the physical limit, and its cost as the audit trail grows.

Run: python bench/transition_throughput.py [--pg postgresql://...] [--n 200]

1. Engine rate: submit_fiche / return_fiche fired through the engine (lock, role, state and
   guard checks, state change, audit event in the hash chain, deadlines, notifications, one
   commit each); suspend/resume is measured beside it (its resume wakes 17 deadlines).
   Bare rate: the same essential writes with bare SQLAlchemy Core - UPDATE the project's
   state and INSERT one audit row, one transaction each. Both run side by side in one process
   on the same kind of database; the ratio engine/bare is the figure that matters.
2. The engine rate with 100 and with 100,000 audit events already stored.
"""

import argparse
import hashlib
import hmac
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, insert, text, update  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.common import fresh_database  # noqa: E402
from config import TestingConfig  # noqa: E402
from tests.factories import Cast, Factory  # noqa: E402
from twinflow.audit.chain import hash_event  # noqa: E402
from twinflow.audit.keys import AuditKey, engine_options  # noqa: E402
from twinflow.audit.models import AuditEvent  # noqa: E402
from twinflow.clock import FrozenClock  # noqa: E402
from twinflow.projects.models import Project  # noqa: E402
from twinflow.workflow.engine import Engine  # noqa: E402
from twinflow.workflow.registry import WorkflowRegistry  # noqa: E402

KEY = AuditKey(TestingConfig.AUDIT_KEY)  # the test suite's key: the chains verify


def _setup(url):
    sa = create_engine(url, execution_options=engine_options(KEY))
    session = Session(sa, expire_on_commit=False)
    clock = FrozenClock(datetime(2027, 1, 4, 9, tzinfo=UTC))
    engine = Engine(WorkflowRegistry(), clock)
    make = Factory(session, engine, clock)
    cast = Cast(make)  # its project stays in fiche drafting for the fiche loop
    running = Cast(make)
    running.to("implementation")
    cast.running = running
    return sa, session, engine, cast


# The loop fired through the engine: the fiche going back and forth between the beneficiary
# and the coordinator (no deadlines set or met, so it measures the engine itself), and the
# suspension loop (its resume wakes the 17 deadlines of an implementation: extra real work).
LOOPS = {
    "fiche": (("submit_fiche", "beneficiary"), ("return_fiche", "coordinator")),
    "suspension": (("suspend", "coordinator"), ("resume", "coordinator")),
}


def engine_rate(session, engine, cast, n: int, loop: str = "fiche") -> float:
    steps = LOOPS[loop]
    project_id = cast.project.id
    started = time.perf_counter()
    for i in range(n):
        trigger, who = steps[i % 2]
        engine.fire(session, getattr(cast, who), project_id, trigger, comment="benchmark")
    return n / (time.perf_counter() - started)


def bare_rate(sa, project_id: int, n: int) -> float:
    """The physical limit: the same two writes per transition, nothing else. The audit row
    is the head's successor with an HMAC computed in Python (the database takes no other
    insert since migration 0008), so its triggers do the same work as for the engine's."""
    with sa.connect() as conn:
        seq, prev = conn.execute(text("SELECT seq, last_hash FROM audit_head WHERE id = 1")).one()
    secret = os.urandom(32)
    now = datetime(2030, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    for i in range(n):
        state = "fiche_review" if i % 2 == 0 else "fiche_drafting"  # n even: ends where it began
        data = json.dumps({"comment": "benchmark"})
        digest = hmac.new(secret, (prev + data + str(i)).encode(), hashlib.sha256).hexdigest()
        seq += 1
        with sa.begin() as conn:
            conn.execute(
                update(Project)
                .where(Project.id == project_id)
                .values(state=state, version=Project.version + 1)
            )
            conn.execute(
                insert(AuditEvent).values(
                    seq=seq,
                    occurred_at=now,
                    action="transition",
                    project_id=project_id,
                    trigger="bench",
                    from_state="x",
                    to_state=state,
                    data=data,
                    prev_hash=prev,
                    hash=digest,
                )
            )
        prev = digest
    return n / (time.perf_counter() - started)


def fill_audit(sa, total: int) -> None:
    """Appends a valid chain of `total` events in bulk (as years of use would leave), sealed
    with the key; the triggers take them one by one as the head's successors. One transaction
    per 5,000: within one, every append leaves another version of the one head row behind,
    which the next append must step over (on PostgreSQL the cost grows with their number)."""
    with sa.connect() as conn:
        seq, prev = conn.execute(text("SELECT seq, last_hash FROM audit_head WHERE id = 1")).one()
    when = datetime(2026, 1, 1, tzinfo=UTC)
    batch = []
    for i in range(total - seq):
        seq += 1
        row = dict(
            seq=seq,
            occurred_at=when,
            actor_id=None,
            actor_email=None,
            action="filler",
            project_id=None,
            trigger=None,
            from_state=None,
            to_state=None,
            data=f'{{"filler":{i}}}',
            prev_hash=prev,
        )
        row["hash"] = prev = hash_event(row, prev, KEY)
        batch.append(row)
        if len(batch) == 5000:
            _insert_batch(sa, batch)
            batch = []
    if batch:
        _insert_batch(sa, batch)
    with sa.connect() as conn:  # fresh statistics, as autovacuum would have after real use
        conn.execute(text("ANALYZE"))
        conn.commit()


def _insert_batch(sa, rows: list[dict]) -> None:
    with sa.begin() as conn:
        conn.execute(insert(AuditEvent), rows)


ROUNDS = 7


def run(backend: str, pg_url: str | None, n: int) -> dict:
    results = {}
    url, cleanup = fresh_database(backend, pg_url)
    try:
        sa, session, engine, cast = _setup(url)
        engine_rate(session, engine, cast, 20)  # warm-up: caches, statement compilation
        engine_rate(session, engine, cast.running, 20, "suspension")
        rates_engine, rates_bare, rates_suspension, ratios = [], [], [], []
        for _ in range(ROUNDS):  # interleaved rounds, so machine noise hits all alike
            rates_engine.append(engine_rate(session, engine, cast, n))
            rates_bare.append(bare_rate(sa, cast.project.id, n))
            # The ratio of each round's neighbours: a round's engine and bare runs are
            # seconds apart, so a load that comes and goes hits both of the pair.
            ratios.append(rates_engine[-1] / rates_bare[-1])
            rates_suspension.append(engine_rate(session, engine, cast.running, n, "suspension"))
        results["engine_per_s"] = median(rates_engine)
        results["bare_per_s"] = median(rates_bare)
        results["suspension_per_s"] = median(rates_suspension)
        results["ratio"] = median(ratios)
        results["ratio_range"] = (min(ratios), max(ratios))
        session.close()
        sa.dispose()
    finally:
        cleanup()

    # Both sizes set up first, then measured in turn, so neighbours' load hits both alike.
    sizes, cleanups = {}, []
    try:
        for stored in (100, 100_000):
            url, cleanup = fresh_database(backend, pg_url)
            cleanups.append(cleanup)
            sa, session, engine, cast = _setup(url)
            fill_audit(sa, stored)
            engine_rate(session, engine, cast, 20)
            sizes[stored] = (sa, session, engine, cast, [])
        for _ in range(5):
            for _sa, session, engine, cast, rates in sizes.values():
                rates.append(engine_rate(session, engine, cast, n))
        for stored, (sa, session, _engine, _cast, rates) in sizes.items():
            results[f"engine_per_s_{stored}_events"] = sorted(rates)[len(rates) // 2]
            session.close()
            sa.dispose()
    finally:
        for cleanup in cleanups:
            cleanup()
    results["slowdown_100k_vs_100"] = (
        results["engine_per_s_100_events"] / results["engine_per_s_100000_events"]
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("TWINFLOW_TEST_DATABASE_URL"))
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    backends = ["sqlite"] + (["postgresql"] if args.pg else [])
    for backend in backends:
        r = run(backend, args.pg, args.n)
        print(
            f"{backend}: engine {r['engine_per_s']:.0f}/s, bare Core {r['bare_per_s']:.0f}/s"
            f" (medians of {ROUNDS} rounds), ratio {r['ratio']:.2f} (median of the rounds' "
            f"ratios, {r['ratio_range'][0]:.2f}-{r['ratio_range'][1]:.2f}; target >= 0.60); "
            f"suspend/resume (deadlines woken) {r['suspension_per_s']:.0f}/s"
        )
        print(
            f"{backend}: with 100 events stored {r['engine_per_s_100_events']:.0f}/s, with "
            f"100,000 {r['engine_per_s_100000_events']:.0f}/s, slowdown "
            f"{r['slowdown_100k_vs_100']:.2f}x (target <= 1.20x)"
        )


if __name__ == "__main__":
    main()
