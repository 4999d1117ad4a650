"""Benchmark: reads over HTTP, twinflow against a bare Flask app (issue 18).

    .venv/bin/python bench/http_reads.py [--projects 2000] [--seconds 8] [--rounds 3]
        [--only TEXT] [--db PATH] [--app TREE]

Both run under gunicorn, 2 sync workers, driven by wrk (Debian package `wrk`) with 4
connections, on one SQLite file of N projects. The bare app answers one SQLite query with a
JSON padded to the size of the twinflow answer it stands beside. Before timing, each twinflow
URL is fetched with the same credentials and must answer 200 with the real content (not a
redirect to sign-in). Rounds interleave twinflow and bare runs; the ratio printed is the
median of the rounds' ratios. Beside it, the CPU the gunicorn workers spent per answer (from
/proc, user + system) and its ratio: on a machine shared with other work, throughput follows
the load of the moment, while CPU per answer is what each read costs.
Targets: GET /api/v1/projects/<id> >= 0.40; the HTML project page, the dashboard and the
project list (page of 50) >= 0.15.

twinflow is served as production serves it (since s25): `gunicorn -c deploy/gunicorn.conf.py
wsgi:app`, so the entry's settings (wsgi.py's garbage-collector tuning, the JSON request log,
the multiprocess metrics) are measured, with the production configuration read from the
environment (the seeded file, a fixed secret key, the test audit key, cookies allowed over
plain HTTP). Four settings are overridden on the command line to the bare app's own:
2 sync workers with one thread each (the bare app's settings: the config's gthread workers
per core would measure the worker count, not the code) and no worker recycling (a worker
replaced mid-run would drop out of the CPU count). `--factory` serves the app the way runs up
to s24 did: `twinflow:create_app('testing', ...)` with the command-line settings only.

`--only TEXT` times only the reads whose name contains TEXT; `--db PATH` keeps the seeded file
(reused when it exists); `--app TREE` serves another checkout's twinflow (e.g. a `git archive`
of an earlier commit, for before/after runs with the same script and database).
"""

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = sys.executable
# TWINFLOW_BENCH_PORT lets two checkouts run this bench side by side (bare app on the next port).
TF_PORT = int(os.environ.get("TWINFLOW_BENCH_PORT", "8941"))
BARE_PORT = TF_PORT + 1
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def seed(url: str, n: int) -> dict:
    from flask_migrate import upgrade

    from twinflow import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from twinflow.demo_data import DEMO_PASSWORD, seed_demo
        from twinflow.extensions import db
        from twinflow.projects.models import Project
        from twinflow.projects.operations import create_project
        from twinflow.services import get_engine

        upgrade()
        engine = get_engine()
        seed_demo(db.session, engine, app.config["PASSWORD_HASH_METHOD"])
        from sqlalchemy import func, select

        from twinflow.auth.models import User

        coordinator = db.session.scalar(
            select(User).where(User.email == "delegation@twinflow.demo")
        )
        have = db.session.scalar(select(func.count(Project.id)))
        for i in range(n - have):
            create_project(
                db.session,
                engine,
                coordinator,
                dict(
                    title=f"Generated project {i}",
                    workflow="twinning",
                    sector="JH",
                    instrument="ENI",
                    budget_eur=1_500_000,
                    implementation_months=24,
                    beneficiary_country="GE",
                    beneficiary_institution="Ministry of Justice of Georgia",
                ),
                commit=(i % 200 == 199),
            )
        db.session.commit()
        busy = db.session.scalar(select(Project.id).order_by(Project.id).limit(1))
        return {"project": busy, "password": DEMO_PASSWORD}


def seeded(path: Path) -> dict:
    """What seed() says of a file it seeded before (--db)."""
    import sqlite3

    from twinflow.demo_data import DEMO_PASSWORD

    with sqlite3.connect(path) as conn:
        (busy,) = conn.execute("SELECT id FROM projects ORDER BY id LIMIT 1").fetchone()
    return {"project": busy, "password": DEMO_PASSWORD}


def production_env(url: str) -> dict:
    """The production configuration (TWINFLOW_ENV unset), pointed at the seeded file."""
    from config import TestingConfig

    return {
        "TWINFLOW_ENV": "production",
        "TWINFLOW_DATABASE_URL": url,
        # Fixed: every worker must sign and read the same session cookies.
        "TWINFLOW_SECRET_KEY": "bench-http-reads-secret-key-not-for-production",
        "TWINFLOW_AUDIT_KEY": TestingConfig.AUDIT_KEY,  # the key the file was seeded with
        "TWINFLOW_COOKIE_SECURE": "0",  # plain HTTP on loopback
        "TWINFLOW_LOG_LEVEL": "INFO",  # one JSON line per request, as deployed (to /dev/null)
    }


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def start(cmd, env, cwd=ROOT) -> subprocess.Popen:
    return subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait(port):
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/nowhere", timeout=1)
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on {port} did not start")


def worker_cpu(server: subprocess.Popen) -> float:
    """Seconds of CPU (user + system) the server's worker processes have used so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def timed(server, url: str, headers: dict, seconds: int) -> tuple[float, float]:
    """(answers per second, ms of worker CPU per answer) under wrk."""
    before = worker_cpu(server)
    rate, count = wrk(url, headers, seconds)
    return rate, (worker_cpu(server) - before) * 1000 / max(count, 1)


def wrk(url: str, headers: dict, seconds: int) -> tuple[float, int]:
    args = ["wrk", "-t2", "-c4", f"-d{seconds}s", "--latency"]
    for k, v in headers.items():
        args += ["-H", f"{k}: {v}"]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} non-2xx answers\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rate, int(re.search(r"(\d+) requests in", out).group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--projects", type=int, default=2000)
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", default="")
    ap.add_argument("--db", default="")
    ap.add_argument("--app", default=str(ROOT))
    ap.add_argument("--factory", action="store_true", help="serve create_app as up to s24")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="twinflow-http-"))
    db_path = Path(args.db) if args.db else folder / "http.sqlite3"
    url = f"sqlite:///{db_path}"
    facts = seeded(db_path) if db_path.exists() else seed(url, args.projects)
    pid = facts["project"]
    base = f"http://127.0.0.1:{TF_PORT}"

    app_root = Path(args.app).resolve()
    env = dict(os.environ, PYTHONPATH=str(app_root))
    gunicorn = [PY, "-m", "gunicorn", "-w", "2", "-k", "sync", "--no-control-socket"]
    if args.factory:
        served = [f"twinflow:create_app('testing', SQLALCHEMY_DATABASE_URI='{url}')"]
        tf_env = env
    else:
        config = ["-c", str(app_root / "deploy" / "gunicorn.conf.py")]
        served = [*config, "--threads", "1", "--max-requests", "0", "wsgi:app"]
        tf_env = dict(env, **production_env(url))
    tf = start([*gunicorn, "-b", f"127.0.0.1:{TF_PORT}", *served], tf_env, cwd=app_root)
    print(f"serving {app_root / 'twinflow'} ({served[-1]}); load average {loadavg()}")
    servers = [tf]
    try:
        wait(TF_PORT)
        # Credentials: a web session cookie (signed in through the form) and an API token.
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{base}/login").read().decode()
        form = {
            "email": "delegation@twinflow.demo",
            "password": facts["password"],
            "csrf_token": CSRF.search(page).group(1),
        }
        opener.open(f"{base}/login", data=urllib.parse.urlencode(form).encode())
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        request = urllib.request.Request(
            f"{base}/api/v1/auth/token",
            data=json.dumps({"email": form["email"], "password": form["password"]}).encode(),
            headers={"Content-Type": "application/json"},
        )
        token = json.loads(urllib.request.urlopen(request).read())["token"]

        targets = {
            "GET /api/v1/projects/<id>": (
                f"/api/v1/projects/{pid}",
                {"Authorization": f"Bearer {token}"},
                '"reference"',
            ),
            "project page": (f"/projects/{pid}", {"Cookie": cookie}, 'data-testid="timeline"'),
            "dashboard": ("/", {"Cookie": cookie}, 'id="appr-h"'),
            "project list (page of 50)": (
                "/projects?per_page=50",
                {"Cookie": cookie},
                "<table",
            ),
        }
        targets = {k: v for k, v in targets.items() if args.only in k}
        sizes = {}
        for name, (path, headers, marker) in targets.items():
            answer = urllib.request.urlopen(urllib.request.Request(base + path, headers=headers))
            body = answer.read().decode()
            assert answer.status == 200 and answer.url == base + path, (name, answer.url)
            assert marker in body and "Please sign in" not in body, (name, body[:300])
            sizes[name] = len(body.encode())
        rows = re.findall(r"<tr", opener.open(f"{base}/projects?per_page=50").read().decode())
        print(f"{args.projects} projects; the project list shows {len(rows) - 1} rows")

        bare_env = dict(env, BARE_DB=str(db_path))
        results = {name: [] for name in targets}
        for r in range(args.rounds):
            for name, (path, headers, _marker) in targets.items():
                bare = start(
                    [*gunicorn, "-b", f"127.0.0.1:{BARE_PORT}", "bench.bare_app:create()"],
                    dict(bare_env, BARE_SIZE=str(sizes[name])),
                )
                servers.append(bare)
                wait(BARE_PORT)
                ours, our_cpu = timed(tf, base + path, headers, args.seconds)
                theirs, their_cpu = timed(
                    bare, f"http://127.0.0.1:{BARE_PORT}/bare/{pid}", {}, args.seconds
                )
                bare.terminate()
                bare.wait()
                results[name].append((ours, theirs, our_cpu, their_cpu))
                print(
                    f"  round {r + 1} {name:28} {ours:7.0f}/s vs bare {theirs:7.0f}/s;"
                    f" CPU {our_cpu:5.2f} vs {their_cpu:5.2f} ms an answer"
                )
        print(f"   load average now: {loadavg()}")
        print(
            f"\n{'read':30} {'twinflow':>9} {'bare':>7} {'ratio (median, range)':>22}"
            f" {'CPU ms':>7} {'bare':>5} {'CPU ratio':>9} {'KB':>5}"
        )
        for name, runs in results.items():
            ratios = [a / b for a, b, _, _ in runs]
            ours, theirs = median(r[2] for r in runs), median(r[3] for r in runs)
            print(
                f"{name:30} {median(r[0] for r in runs):9.0f} {median(r[1] for r in runs):7.0f}"
                f" {median(ratios):8.3f} ({min(ratios):.3f}-{max(ratios):.3f})"
                f" {ours:7.2f} {theirs:5.2f} {median(r[3] / r[2] for r in runs):9.3f}"
                f" {sizes[name] / 1024:5.1f}"
            )
    finally:
        for server in servers:
            if server.poll() is None:
                server.terminate()
                server.wait()
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
