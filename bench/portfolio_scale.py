"""Benchmark: every page and list, the audit log and `audit verify` at portfolio scale (issue 18).

    .venv/bin/python bench/portfolio_scale.py [--pg URL] [--small 2000:400000]
        [--large 10000:2000000] [--rounds 20] [--reuse]

Two PostgreSQL databases in the server of --pg (default TWINFLOW_TEST_DATABASE_URL), never
the test database itself: twinflow_scale_small and twinflow_scale_large, each built from the
migrations and the demo (its people, organisations and projects), then filled in bulk to N
projects across the lifecycle's states (one open deadline each) and a valid keyed audit
chain of M events spread over them. The chain is computed in Python (each event sealed with
the audit key and HMAC-chained to the one before, as `append_event` would) and copied in
sequence order, one transaction per 5,000 rows, through the migrations' triggers: each row
must be the head's successor and moves the head on. --reuse keeps databases already filled
to the asked size.

Then, in one process with both apps (Flask test client, signed in through the real form),
each page is fetched `--rounds` times per size, the two sizes interleaved request by request
so a neighbour's load falls on both alike; median and p95 per page and the ratio large/small
of the p95. Last, `twinflow audit verify` runs as a subprocess on each database: its time
and peak memory (ru_maxrss of the child).
Targets: p95 of each page at the large size <= 1.5x the small; verify's memory flat.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from config import TestingConfig  # noqa: E402
from twinflow.audit.chain import (  # noqa: E402
    EVENT_FIELDS,
    EventText,
    canonical_json,
    keyed_hash,
)
from twinflow.audit.keys import AuditKey  # noqa: E402

KEY = AuditKey(TestingConfig.AUDIT_KEY)
BATCH = 5000
STATES = [
    "fiche_drafting",
    "fiche_review",
    "call_open",
    "selection",
    "work_plan",
    "contracting",
    "implementation",
    "implementation",
    "implementation",
    "suspended",
    "final_reporting",
    "closed",
    "closed",
    "cancelled",
]
# What a year of use writes, by weight: (action, trigger, from, to).
EVENTS = [
    (6, "transition", "submit_fiche", "fiche_drafting", "fiche_review"),
    (3, "transition", "return_fiche", "fiche_review", "fiche_drafting"),
    (3, "transition", "approve_fiche", "fiche_review", "call_open"),
    (2, "transition", "close_call", "call_open", "selection"),
    (3, "approval_requested", None, None, None),
    (3, "approval_approved", None, None, None),
    (2, "proposal_submitted", None, None, None),
    (2, "activity_planned", None, None, None),
    (2, "activity_updated", None, None, None),
    (1, "indicator_value_recorded", None, None, None),
    (1, "particulars_updated", None, None, None),
]
PASSWORD = "twinflow-demo"
COORDINATOR, ADMIN = "delegation@twinflow.demo", "admin@twinflow.demo"
ONLY: list[str] = []  # --only: the paths measured (all when empty)


def database_url(pg_url: str, name: str) -> str:
    url = make_url(pg_url).set(database=name, drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def filled(url: str) -> tuple[int, int] | None:
    """(projects, events) of an existing database, None when there is none."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            projects = conn.scalar(text("SELECT count(*) FROM projects"))
            events = conn.scalar(text("SELECT seq FROM audit_head WHERE id = 1"))
            return projects, events
    except Exception:  # noqa: BLE001 - no such database (or not migrated): build it
        return None
    finally:
        engine.dispose()


def create_database(pg_url: str, name: str) -> str:
    admin = create_engine(
        make_url(pg_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return database_url(pg_url, name)


def seed_base(url: str) -> None:
    """The migrated schema and the demo: people, organisations, projects with real records."""
    from flask_migrate import upgrade

    from twinflow import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from twinflow.demo_data import seed_demo
        from twinflow.extensions import db
        from twinflow.services import get_engine

        upgrade()
        seed_demo(db.session, get_engine(), app.config["PASSWORD_HASH_METHOD"])
        db.session.commit()
        db.engine.dispose()


def fill_projects(engine, total: int, rng: random.Random) -> None:
    from twinflow.deadlines.models import Deadline
    from twinflow.projects.models import Project

    with engine.begin() as conn:
        have = conn.scalar(text("SELECT count(*) FROM projects"))
        version = conn.scalar(
            text("SELECT workflow_version FROM projects WHERE workflow = 'twinning' LIMIT 1")
        )
        # The countries the demo's projects are in: every coordinator sees a share.
        countries = sorted(
            conn.scalars(text("SELECT DISTINCT beneficiary_country FROM projects")).all()
        )
        creator = conn.scalar(text(f"SELECT id FROM users WHERE email = '{COORDINATOR}'"))
        first = conn.scalar(text("SELECT coalesce(max(id), 0) FROM projects")) + 1
    now = datetime.now(UTC)
    sectors = ["JH", "FI", "EN", "HE", "TR", "AG"]
    for start in range(0, total - have, BATCH):
        rows, deadlines = [], []
        for i in range(start, min(start + BATCH, total - have)):
            state = STATES[i % len(STATES)]
            country, sector = rng.choice(countries), rng.choice(sectors)
            year = 2018 + i % 10
            circulated = state not in ("fiche_drafting", "fiche_review")
            rows.append(
                dict(
                    id=first + i,
                    reference=f"{country} {year % 100} ENI {sector} {i:05d} 99",
                    reference_key=f"{country}{year % 100}ENI{sector}{i:05d}99",
                    title=f"Strengthening the administration, generated project {i}",
                    description="",
                    workflow="twinning",
                    workflow_version=version,
                    state=state,
                    version=1,
                    beneficiary_country=country,
                    beneficiary_institution="Ministry of Justice",
                    sector=sector,
                    instrument="ENI",
                    programme_year=year,
                    budget_eur=rng.randrange(300_000, 3_000_000, 50_000),
                    implementation_months=24,
                    circulated_at=now - timedelta(days=60) if circulated else None,
                    proposal_deadline=now - timedelta(days=4) if circulated else None,
                    recirculation_count=0,
                    junior_member_states=[],
                    created_at=now - timedelta(days=700),
                    created_by_id=creator,
                    state_changed_at=now - timedelta(days=700) + timedelta(minutes=i),
                    management_mode="direct",
                )
            )
            if state in ("call_open", "selection", "implementation"):
                deadlines.append(
                    dict(
                        project_id=first + i,
                        key="proposals_due" if state == "call_open" else "selection_decision",
                        title="Something due",
                        set_in_state=state,
                        met_on="exit",
                        due_at=now + timedelta(days=i % 60 - 30),
                        status="open",
                        reminder_offsets_days=[],
                        notify_parties=[],
                        created_at=now,
                    )
                )
        with engine.begin() as conn:
            conn.execute(insert(Project), rows)
            if deadlines:
                conn.execute(insert(Deadline), deadlines)
    with engine.begin() as conn:  # the serial after the explicit ids
        conn.execute(text("SELECT setval('projects_id_seq', (SELECT max(id) FROM projects))"))


# The chain's own field list (audit/chain.py), so the bench writes what the hash covers.
COLUMNS = ("seq", *EVENT_FIELDS, "data", "prev_hash", "hash")


def fill_audit(engine, total: int, rng: random.Random) -> float:
    """Appends events until the chain holds `total`; returns the seconds it took."""
    started = time.perf_counter()
    with engine.connect() as conn:
        seq, prev = conn.execute(text("SELECT seq, last_hash FROM audit_head WHERE id = 1")).one()
        people = conn.execute(text("SELECT id, email FROM users ORDER BY id")).all()
        projects = conn.scalars(text("SELECT id FROM projects")).all()
    weights = [w for w, *_ in EVENTS]
    kinds = [k for _, *k in EVENTS]
    first_at = datetime.now(UTC) - timedelta(days=730)
    step = timedelta(days=700) / max(total - seq, 1)
    raw = engine.raw_connection()
    try:
        done = 0
        while seq < total:
            rows = []
            for _ in range(min(BATCH, total - seq)):
                seq += 1
                action, trigger, from_state, to_state = rng.choices(kinds, weights)[0]
                actor_id, actor_email = rng.choice(people)
                values = dict(
                    occurred_at=first_at + step * done,
                    actor_id=actor_id,
                    actor_email=actor_email,
                    action=action,
                    project_id=rng.choice(projects),
                    trigger=trigger,
                    from_state=from_state,
                    to_state=to_state,
                    data=canonical_json({"comment": f"generated {seq}"} if trigger else {}),
                )
                digest = keyed_hash(KEY, EventText(values), prev, seq)
                rows.append((seq, *values.values(), prev, digest))
                prev = digest
                done += 1
            copying = f"COPY audit_events ({', '.join(COLUMNS)}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(copying) as copy:
                for row in rows:
                    copy.write_row(row)
            raw.commit()
            if done % 100_000 < BATCH:
                rate = done / (time.perf_counter() - started)
                print(f"    {seq:,} events ({rate:,.0f}/s)", flush=True)
    finally:
        raw.close()
    return time.perf_counter() - started


def build(pg_url: str, name: str, projects: int, events: int, reuse: bool) -> str:
    url = database_url(pg_url, name)
    have = filled(url)  # sign-ins of earlier runs add a few events
    if reuse and have and have[0] == projects and events <= have[1] < events + 1000:
        print(f"{name}: reusing {projects:,} projects, {events:,} events")
        return url
    print(f"{name}: building {projects:,} projects, {events:,} events")
    started = time.perf_counter()
    url = create_database(pg_url, name)
    seed_base(url)
    engine = create_engine(url)
    rng = random.Random(18)
    fill_projects(engine, projects, rng)
    took = fill_audit(engine, events, rng)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))  # as autovacuum would have after real use
    engine.dispose()
    print(
        f"  {name}: audit chain of {events:,} in {took:.0f} s, whole build "
        f"{time.perf_counter() - started:.0f} s"
    )
    return url


# -- measuring ---------------------------------------------------------------------------


class Site:
    """One app on one database, a signed-in test client per person, an API token each."""

    def __init__(self, url: str):
        from twinflow import create_app

        self.app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, RATELIMIT_ENABLED=False)
        self.clients, self.tokens = {}, {}
        for email in (COORDINATOR, ADMIN):
            client = self.app.test_client()
            page = client.get("/login").get_data(as_text=True)
            token = page.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"')[0]
            answer = client.post(
                "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
            )
            assert answer.status_code == 302, (email, answer.status_code)
            self.clients[email] = client
            answer = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
            self.tokens[email] = answer.json["token"]
        with self.app.app_context():
            from twinflow.extensions import db

            self.facts = facts(db.session)

    def get(self, email: str, path: str) -> tuple[float, int]:
        client = self.clients[email]
        headers = {}
        if path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {self.tokens[email]}"
        started = time.perf_counter()
        answer = client.get(path, headers=headers)
        took = time.perf_counter() - started
        return took, answer.status_code


def facts(session) -> dict:
    """What the paths name: the same kind of object in both databases."""
    from twinflow.projects.models import Project

    # A generated project with its share of the trail, and the demo's busiest project.
    generated = session.scalar(
        select(Project.id).where(Project.title.like("%generated project 7")).limit(1)
    )
    reference = session.scalar(select(Project.reference).where(Project.id == generated))
    return {"generated": generated, "reference": reference, "demo": 1}


def paths(f: dict) -> list[tuple[str, str]]:
    """(who, path): every page and list a coordinator and an administrator read."""
    both = [
        "/",
        "/projects",
        "/projects?state=implementation&sort=budget",
        "/projects?page=40",
        f"/projects/{f['generated']}",
        f"/projects/{f['demo']}",
        "/portfolio",
        "/notifications",
        "/public/projects",
        "/api/v1/projects",
        "/api/v1/projects?state=implementation",
        "/api/v1/projects?page=40",
        f"/api/v1/projects/{f['generated']}",
    ]
    admin = [
        "/admin/audit",
        "/admin/audit?page=2",
        "/admin/audit?page=200",
        "/admin/audit?action=transition",
        "/admin/audit?action=user_created",
        f"/admin/audit?project={f['reference']}",
        "/admin/audit?actor=france",
        "/admin/audit?actor=nobody-signs-in-as-this",
        "/admin/audit?date_from=2026-01-01&date_to=2026-01-31",
        "/admin/users",
        "/api/v1/audit",
        "/api/v1/audit?page=2000",
        "/api/v1/audit?action=user_created",
        f"/api/v1/projects/{f['generated']}/audit",
    ]
    coordinator = ["/approvals", "/api/v1/approvals"]
    every = [(COORDINATOR, p) for p in both + coordinator] + [(ADMIN, p) for p in both + admin]
    return [(who, p) for who, p in every if not ONLY or any(o in p for o in ONLY)]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure_pages(small: Site, large: Site, rounds: int) -> list[tuple]:
    """Paths name objects by what they are, so each site reads its own numbers. A page that
    takes over a second is sampled 5 times, not `rounds` (its p95 is then its maximum)."""
    todo = list(zip(paths(small.facts), paths(large.facts), strict=True))
    times = {i: ([], []) for i in range(len(todo))}
    samples = {}
    for i, ((who, a), (_, b)) in enumerate(todo):
        slowest = 0.0
        for site, path in ((small, a), (large, b)):  # warm-up; the answer must be the page
            took, status = site.get(who, path)
            if status != 200:
                raise SystemExit(f"{who} {path}: {status}")
            slowest = max(slowest, took)
        samples[i] = rounds if slowest < 1 else min(rounds, 5)
    for r in range(rounds):
        for i, ((who, a), (_, b)) in enumerate(todo):
            if r < samples[i]:
                times[i][0].append(small.get(who, a)[0])
                times[i][1].append(large.get(who, b)[0])
    out = []
    for i, ((who, a), _) in enumerate(todo):
        s, big = times[i]
        out.append((who.split("@")[0], a, median(s), p95(s), median(big), p95(big)))
    return out


def verify_run(url: str) -> tuple[float, float, str]:
    """`twinflow audit verify` in a child process: seconds, peak memory (MB), its answer."""
    env = dict(os.environ, TWINFLOW_ENV="testing", TWINFLOW_DATABASE_URL=url)
    script = (
        "import resource, sys, time\n"
        "from twinflow.cli import main\n"
        "sys.argv = ['twinflow', 'audit', 'verify']\n"
        "started = time.perf_counter()\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    took = time.perf_counter() - started\n"
        "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    print(f'BENCH {took} {peak}', file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
    )
    bench = [line for line in done.stderr.splitlines() if line.startswith("BENCH ")]
    took, peak = bench[-1].split()[1:]
    answer = (done.stdout + done.stderr).strip().splitlines()[0]
    if done.returncode != 0:
        raise SystemExit(f"audit verify failed on {url}: {done.stderr}")
    return float(took), int(peak) / 1024, answer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", default=os.environ.get("TWINFLOW_TEST_DATABASE_URL"))
    ap.add_argument("--small", default="2000:400000", help="projects:events")
    ap.add_argument("--large", default="10000:2000000", help="projects:events")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--reuse", action="store_true", help="keep databases filled to the size")
    ap.add_argument("--skip-verify", action="store_true")
    ap.add_argument(
        "--db-suffix",
        default="",
        help="measure twinflow_scale_<size><suffix>, copies made with CREATE DATABASE ... "
        "TEMPLATE (the shared fixtures stay read-only); they are used as they are, never built",
    )
    ap.add_argument(
        "--only", action="append", default=[], help="only the paths containing this (repeatable)"
    )
    args = ap.parse_args()
    global ONLY
    ONLY = args.only
    if not args.pg:
        raise SystemExit("give --pg or set TWINFLOW_TEST_DATABASE_URL")
    sizes = {}
    for label, spec in (("small", args.small), ("large", args.large)):
        projects, events = (int(x) for x in spec.split(":"))
        name = f"twinflow_scale_{label}{args.db_suffix}"
        if args.db_suffix:
            url = database_url(args.pg, name)
            projects, events = filled(url)
        else:
            url = build(args.pg, name, projects, events, args.reuse)
        sizes[label] = (projects, events, url)
    if not args.skip_verify:
        # Before the pages are loaded: a forked child inherits its parent's peak RSS.
        print("\naudit verify (child process)")
        for label in ("small", "large"):
            took, peak, answer = verify_run(sizes[label][2])
            events = sizes[label][1]
            print(
                f"  {label}: {events:,} events in {took:.1f} s ({events / took:,.0f}/s), "
                f"peak {peak:.0f} MB; {answer[:70]}"
            )
    print(f"load before measuring: {Path('/proc/loadavg').read_text().strip()}")
    small, large = Site(sizes["small"][2]), Site(sizes["large"][2])
    rows = measure_pages(small, large, args.rounds)
    (sp, se, _), (lp, le, _) = sizes["small"], sizes["large"]
    print(f"\nlatency in ms, {args.rounds} requests each, Flask test client, interleaved")
    print(f"{'who':12} {'page':52} {'small med':>9} {'p95':>6} {'large med':>9} {'p95':>6} ratio")
    worst = 0.0
    for who, path, sm, s95, lm, l95 in rows:
        ratio = l95 / s95
        worst = max(worst, ratio)
        print(
            f"{who:12} {path[:52]:52} {sm * 1e3:9.1f} {s95 * 1e3:6.1f} {lm * 1e3:9.1f}"
            f" {l95 * 1e3:6.1f} {ratio:5.2f}{'  !' if ratio > 1.5 else ''}"
        )
    print(f"worst p95 ratio: {worst:.2f} ({sp:,}/{se:,} -> {lp:,}/{le:,} projects/events)")
    print(f"load after measuring: {Path('/proc/loadavg').read_text().strip()}")
    print(json.dumps({"ru_maxrss_self_mb": resource.getrusage(0).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
