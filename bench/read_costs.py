"""What each read of bench/http_reads.py costs, in counts that do not move with the load.

    .venv/bin/python bench/read_costs.py [--projects 2000] [--db /tmp/reads.sqlite3]
        [--requests 10] [--top 25] [--language en|fr] [--only dashboard]
        [--user france@twinflow.demo] [--sql]

Seeds the same SQLite file as bench/http_reads.py (kept with `--db`, reused when it exists),
then, through the Flask test client signed in as the demo's coordinator or `--user` (API: a
bearer token), prints per answer: SQL statements, Python function calls (cProfile over `--requests`
requests, after one warm-up) and CPU ms (`time.process_time`). `--top N` lists the N
functions with the most own time for each read: the profile that says where time goes.
"""

import argparse
import cProfile
import json
import pstats
import re
import sys
import time
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.http_reads import seed  # noqa: E402

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--projects", type=int, default=2000)
    ap.add_argument("--db", default="")
    ap.add_argument("--requests", type=int, default=10)
    ap.add_argument("--top", type=int, default=0)
    ap.add_argument("--language", default="en")
    ap.add_argument("--only", default="")
    ap.add_argument("--sql", action="store_true", help="print each read's statements")
    # Whose pages: the demo's coordinator by default; a Member State, a Delegation... by e-mail.
    ap.add_argument("--user", default="delegation@twinflow.demo")
    args = ap.parse_args()
    path = Path(args.db) if args.db else Path("/tmp/twinflow-read-costs.sqlite3")
    url = f"sqlite:///{path}"
    if not path.exists():
        seed(url, args.projects)

    from twinflow import create_app
    from twinflow.demo_data import DEMO_PASSWORD
    from twinflow.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from sqlalchemy import select

        from twinflow.auth.models import User
        from twinflow.projects.models import Project
        from twinflow.projects.permissions import visible_projects_clause

        # The first project the user may see (the coordinator's: the demo's first).
        user = db.session.scalar(select(User).where(User.email == args.user))
        visible = visible_projects_clause(user)
        pid = db.session.scalar(select(Project.id).where(visible).order_by(Project.id).limit(1))
        engine = db.engine
    client = app.test_client()
    client.set_cookie("twinflow_language", args.language)
    page = client.get("/login").get_data(as_text=True)
    email = args.user
    form = {"email": email, "password": DEMO_PASSWORD, "csrf_token": CSRF.search(page)[1]}
    assert client.post("/login", data=form).status_code == 302
    if args.language != "en":
        assert client.get("/").get_data(as_text=True).count('lang="fr"'), "not in French"
    answer = client.post("/api/v1/auth/token", json={"email": email, "password": DEMO_PASSWORD})
    bearer = {"Authorization": f"Bearer {json.loads(answer.data)['token']}"}
    reads = {
        "GET /api/v1/projects/<id>": (f"/api/v1/projects/{pid}", bearer),
        "project page": (f"/projects/{pid}", {}),
        "dashboard": ("/", {}),
        "project list (page of 50)": ("/projects?per_page=50", {}),
        "API project list": ("/api/v1/projects?per_page=50", bearer),
    }
    statements, started_at = [], []

    def before(_conn, _cursor, sql, *_):
        started_at.append(time.perf_counter())

    def after(_conn, _cursor, sql, *_):
        # The statement and the database's own time for it (wall ms, execute + first fetch).
        statements.append((sql, (time.perf_counter() - started_at.pop()) * 1000))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    print(f"{'read':30} {'statements':>10} {'calls':>8} {'CPU ms':>7}")
    for name, (address, headers) in reads.items():
        if args.only and args.only not in name:
            continue
        api = address.startswith("/api/")
        fetch = (app.test_client() if api else client).get
        assert fetch(address, headers=headers).status_code == 200, address
        statements.clear()
        fetch(address, headers=headers)
        count, sql_of_one = len(statements), list(statements)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            fetch(address, headers=headers)
        profile.disable()
        stats = pstats.Stats(profile)
        calls = stats.total_calls / args.requests
        started = time.process_time()
        for _ in range(args.requests):
            fetch(address, headers=headers)
        cpu = (time.process_time() - started) * 1000 / args.requests
        print(f"{name:30} {count:10} {calls:8.0f} {cpu:7.2f}")
        if args.sql:
            for n, (sql, ms) in enumerate(sql_of_one, 1):
                print(f"  [{n}] {ms:.2f} ms {' '.join(sql.split())}")
        if args.top:
            stats.sort_stats("tottime").print_stats(args.top)
            stats.sort_stats("cumulative").print_stats(args.top * 2)


if __name__ == "__main__":
    main()
