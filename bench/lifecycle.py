"""Benchmark: the whole lifecycle of a project, step by step, against bare SQLAlchemy Core.

    .venv/bin/python bench/lifecycle.py [--backends sqlite,postgresql] [--projects 300] [--log]

The 12-step walk of issue 18, for N projects interleaved (every project takes step 1, then
every project step 2, ...): submit_fiche, return_fiche, submit_fiche, approve_fiche,
close_call (after a proposal from one Member State), select_partner with its two approvals,
submit_contract, sign_contract with its two approvals, suspend, resume, end_implementation,
approve_final_report (after the interim and final reports are drafted, co-signed and
approved). Each step runs through the engine with all its work (roles, sign-offs, guards,
deadlines, notifications, the keyed audit chain), one commit each.
The work a person does between steps (a proposal, marking it, the reports) is set-up: it is
not timed and its statements are not counted.

Bare: SQLAlchemy Core doing one read, one update and one insert (the audit chain's
successor, HMAC computed in Python) per step in one transaction: 36 statements a walk.

The projects are split in ROUNDS blocks; each block's engine walk and a bare walk of as many
steps run back to back, so a neighbour's load falls on both of a pair; the ratio printed is
the median of the blocks' ratios. Printed per step: statements (cursor executions) and client
CPU (process time) per step. Targets: >= 0.40 of bare on SQLite, >= 0.30 on PostgreSQL,
<= 90 statements a walk.
"""

import argparse
import copy
import os
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, event, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.common import fresh_database  # noqa: E402
from bench.transition_throughput import KEY  # noqa: E402
from tests.factories import Cast, Factory  # noqa: E402
from twinflow.audit.keys import engine_options  # noqa: E402
from twinflow.clock import FrozenClock  # noqa: E402
from twinflow.projects.models import Project  # noqa: E402
from twinflow.workflow.engine import Engine  # noqa: E402
from twinflow.workflow.registry import WorkflowRegistry  # noqa: E402

ROUNDS = 5
STEPS = (
    "submit_fiche",
    "return_fiche",
    "submit_fiche#2",
    "approve_fiche",
    "close_call",
    "select_partner",
    "submit_contract",
    "sign_contract",
    "suspend",
    "resume",
    "end_implementation",
    "approve_final_report",
)


class Counter:
    """Counts cursor executions; while `log` is a list, also keeps their SQL (--log)."""

    def __init__(self, sa):
        self.n, self.log = 0, None
        event.listen(sa, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, *args):
        # Transaction control is not counted on either side: the drivers open transactions
        # unseen (pysqlite before the first write, psycopg before the first statement); the
        # engine's explicit BEGIN IMMEDIATE on SQLite takes the place of pysqlite's own BEGIN.
        if statement.startswith("BEGIN"):
            return
        self.n += 1
        if self.log is not None:
            self.log.append(" ".join(statement.split()))


def _setup(url):
    sa = create_engine(url, execution_options=engine_options(KEY))
    session = Session(sa, expire_on_commit=False)
    clock = FrozenClock(datetime(2027, 1, 4, 9, tzinfo=UTC))
    engine = Engine(WorkflowRegistry(), clock)
    make = Factory(session, engine, clock)
    return sa, session, engine, make, Cast(make)


def _casts(cast, make, n):
    out = []
    for _ in range(n):
        c = copy.copy(cast)
        c.project, c.proposal = make.project(cast.beneficiary), None
        out.append(c)
    return out


def _prepare(step: str, c, make):
    """The untimed work between steps (a person's, or the clock's)."""
    p = c.project
    if step == "close_call":
        c.proposal = make.proposal(c.france, p)  # the clock moves once all are in
    elif step == "select_partner":
        make.select(c.coordinator, p, c.proposal)
    elif step == "submit_contract":
        c.name_team()  # the Member State's project leader signs the contract, the RTA is named
    elif step == "end_implementation":
        make.clock.set(max(make.clock.now(), p.implementation_end))
    elif step == "approve_final_report":
        c.approve_interim_reports()
        c.approve_final_report()


def _step(step: str, c, make):
    p, e, s = c.project, make.engine, make.session
    trigger = step.split("#")[0]
    who = {
        "submit_fiche": c.beneficiary,
        "select_partner": c.beneficiary,
        "submit_contract": c.beneficiary,
    }.get(trigger, c.coordinator)
    comment = "benchmark" if trigger in ("return_fiche", "suspend", "resume") else None
    result = make.fire(who, p, trigger, **({"comment": comment} if comment else {}))
    if trigger == "select_partner":
        e.decide(s, c.coordinator, result.approval.id, "approve")
    elif trigger == "sign_contract":
        e.decide(s, c.france, result.approval.id, "approve")


def engine_walk(casts, make, counter, stats, log=None, profilers=None):
    """Returns the seconds spent in the steps themselves; stats[step] gets (statements, cpu);
    `log` (a dict), if given, gets each step's SQL of the first project's walk; `profilers`
    (a dict step -> cProfile.Profile), if given, collect the Python of each step."""
    spent = 0.0
    for step in STEPS:
        for c in casts:
            _prepare(step, c, make)
        if step == "close_call":
            latest = max(c.project.proposal_deadline for c in casts)
            make.clock.set(max(make.clock.now(), latest + timedelta(minutes=1)))
        profiler = profilers[step] if profilers is not None else None
        for i, c in enumerate(casts):
            counter.log = [] if log is not None and i == 0 else None
            if profiler is not None:
                profiler.enable()
            n0, cpu0, t0 = counter.n, time.process_time(), time.perf_counter()
            _step(step, c, make)
            if profiler is not None:
                profiler.disable()
            spent += time.perf_counter() - t0
            if counter.log is not None:
                log[step], counter.log = counter.log, None
            stats[step].append((counter.n - n0, time.process_time() - cpu0))
    for c in casts:
        make.session.refresh(c.project)
        assert c.project.state == "closed", c.project.state
    return spent


def print_log(log):
    for step, statements in log.items():
        print(f"\n-- {step}: {len(statements)} statements")
        for sql in statements:
            print(f"   {sql[:160]}")


def bare_walk(sa, project_ids, counter, stats):
    """One read, one update, one insert per step, one transaction each."""
    from bench.transition_throughput import AuditEvent, hashlib, hmac, insert, json, text, update

    with sa.connect() as conn:
        seq, prev = conn.execute(text("SELECT seq, last_hash FROM audit_head WHERE id = 1")).one()
    secret, now = os.urandom(32), datetime(2030, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    for i, step in enumerate(STEPS):
        for pid in project_ids:
            n0, cpu0 = counter.n, time.process_time()
            data = json.dumps({"comment": "benchmark"})
            digest = hmac.new(secret, (prev + data + step).encode(), hashlib.sha256).hexdigest()
            seq += 1
            with sa.begin() as conn:
                state = conn.execute(select(Project.state).where(Project.id == pid)).scalar_one()
                conn.execute(
                    update(Project)
                    .where(Project.id == pid)
                    .values(status_note=f"bare {i}", version=Project.version + 1)
                )
                conn.execute(
                    insert(AuditEvent).values(
                        seq=seq,
                        occurred_at=now,
                        action="transition",
                        project_id=pid,
                        trigger="bench",
                        from_state=state,
                        to_state=state,
                        data=data,
                        prev_hash=prev,
                        hash=digest,
                    )
                )
            prev = digest
            stats[step].append((counter.n - n0, time.process_time() - cpu0))
    return time.perf_counter() - started


def run_profile(backend, pg_url, n, only, sort, lines=40):
    """cProfile of n projects' walks: Python function calls per step (what load does not
    move), then the profile of `only` (a step, or "all") sorted by `sort`. Timed in CPU
    (process time: waiting on the commit's fsync is not the client's work)."""
    import cProfile
    import pstats

    url, cleanup = fresh_database(backend, pg_url)
    try:
        sa, session, engine, make, cast = _setup(url)
        counter = Counter(sa)
        engine_walk(_casts(cast, make, 3), make, counter, defaultdict(list))  # warm-up
        profilers = {step: cProfile.Profile(time.process_time) for step in STEPS}
        engine_walk(_casts(cast, make, n), make, counter, defaultdict(list), profilers=profilers)
        print(f"\n{backend}: {n} projects, Python function calls a step")
        total = 0
        for step in STEPS:
            calls = pstats.Stats(profilers[step]).total_calls / n
            total += calls
            print(f"  {step:22} {calls:7.0f}")
        print(f"  {'a walk':22} {total:7.0f}")
        chosen = [p for step, p in profilers.items() if only in ("all", step)]
        detail = pstats.Stats(chosen[0])
        for more in chosen[1:]:
            detail.add(more)
        detail.sort_stats(sort).print_stats(lines)
        session.close()
        sa.dispose()
    finally:
        cleanup()


def run(backend, pg_url, n, show=False):
    url, cleanup = fresh_database(backend, pg_url)
    try:
        sa, session, engine, make, cast = _setup(url)
        counter = Counter(sa)
        log = {} if show else None
        engine_walk(_casts(cast, make, 3), make, counter, defaultdict(list), log)  # warm-up
        if show:
            print_log(log)
        per_round = max(1, n // ROUNDS)
        eng_stats, bare_stats, ratios, rates = defaultdict(list), defaultdict(list), [], []
        for _ in range(ROUNDS):
            casts = _casts(cast, make, per_round)
            spent = engine_walk(casts, make, counter, eng_stats)
            bare = bare_walk(sa, [c.project.id for c in casts], counter, bare_stats)
            steps = per_round * len(STEPS)
            rates.append((steps / spent, steps / bare))
            ratios.append(bare / spent)
        print(f"\n{backend}: {per_round * ROUNDS} projects in {ROUNDS} interleaved rounds")
        print(f"  {'step':22} {'stmts':>6} {'CPU ms':>7}   {'bare stmts':>10} {'CPU ms':>7}")
        total_e = total_b = 0
        for step in STEPS:
            e_n = median(s for s, _ in eng_stats[step])
            e_cpu = median(c for _, c in eng_stats[step]) * 1000
            b_n = median(s for s, _ in bare_stats[step])
            b_cpu = median(c for _, c in bare_stats[step]) * 1000
            total_e, total_b = total_e + e_n, total_b + b_n
            print(f"  {step:22} {e_n:6.0f} {e_cpu:7.2f}   {b_n:10.0f} {b_cpu:7.2f}")
        cpu_e = median(c for st in eng_stats.values() for _, c in st) * 1000
        cpu_b = median(c for st in bare_stats.values() for _, c in st) * 1000
        print(f"  statements a walk: engine {total_e:.0f}, bare {total_b:.0f}")
        print(f"  CPU a step (median): engine {cpu_e:.2f} ms, bare {cpu_b:.2f} ms")
        print(
            f"  steps/s (median): engine {median(r[0] for r in rates):.0f}, "
            f"bare {median(r[1] for r in rates):.0f}"
        )
        print(
            f"  ratio (median of {ROUNDS}): {median(ratios):.2f} "
            f"(range {min(ratios):.2f}-{max(ratios):.2f})"
        )
        session.close()
        sa.dispose()
    finally:
        cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--projects", type=int, default=300)
    ap.add_argument(
        "--pg",
        default=os.environ.get("TWINFLOW_BENCH_DATABASE_URL")
        or os.environ.get("TWINFLOW_TEST_DATABASE_URL"),
    )
    ap.add_argument(
        "--log", action="store_true", help="print every statement of one walk, step by step"
    )
    ap.add_argument("--profile", metavar="STEP", help='cProfile the step (or "all") instead')
    ap.add_argument("--sort", default="tottime", help="pstats sort key for --profile")
    ap.add_argument("--lines", type=int, default=40, help="rows of the --profile listing")
    args = ap.parse_args()
    for backend in args.backends.split(","):
        if args.profile:
            run_profile(backend, args.pg, args.projects, args.profile, args.sort, args.lines)
        else:
            run(backend, args.pg, args.projects, args.log)


if __name__ == "__main__":
    main()
