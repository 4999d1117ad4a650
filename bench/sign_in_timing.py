"""Benchmark: how long a wrong password takes for a known e-mail and for an unknown one,
through the real app with the production hash method (scrypt), on the token endpoint and the
web sign-in form. Not a test: the medians must be within 20% of each other, or the answer
time tells an attacker which e-mails have accounts.

    .venv/bin/python bench/sign_in_timing.py [--backends sqlite,postgresql] [--n 40]

The two kinds of request alternate (known, unknown, unknown, known, ...), so a neighbour's
load falls on both alike. The throttle stays on, with limits raised out of reach: its
counting is part of every failed sign-in's cost. PostgreSQL: TWINFLOW_BENCH_DATABASE_URL (or
TWINFLOW_TEST_DATABASE_URL) names a server where the user may create databases.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import fresh_database  # noqa: E402
from config import ProductionConfig  # noqa: E402
from twinflow import create_app  # noqa: E402
from twinflow.auth.operations import create_user  # noqa: E402
from twinflow.auth.passwords import hash_parameters  # noqa: E402

KNOWN = "known.user@example.eu"
UNKNOWN = "no.such.user@example.eu"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HTTPS = "https://localhost"  # production cookies are Secure


def _app(url: str):
    app = create_app(
        "production",
        SQLALCHEMY_DATABASE_URI=url,
        SECRET_KEY="bench-secret-key-not-for-production",
        SIGN_IN_ACCOUNT_FAILURES=10**9,
        SIGN_IN_ADDRESS_FAILURES=10**9,
    )
    assert app.config["PASSWORD_HASH_METHOD"] == ProductionConfig.PASSWORD_HASH_METHOD
    with app.app_context():
        from twinflow.extensions import db
        from twinflow.services import get_engine

        user = create_user(
            db.session,
            email=KNOWN,
            password="a perfectly fine password",
            role="coordinator",
            now=get_engine().clock.now(),
            hash_method=app.config["PASSWORD_HASH_METHOD"],
        )
        print(f"  stored hash: {hash_parameters(user.password_hash)}")
    return app


def _api(client, email: str) -> float:
    start = time.perf_counter()
    answer = client.post("/api/v1/auth/token", json={"email": email, "password": "wrong password"})
    elapsed = time.perf_counter() - start
    assert answer.status_code == 401, answer.status_code
    return elapsed


def _web(client, email: str) -> float:
    page = client.get("/login", base_url=HTTPS).get_data(as_text=True)
    data = {"email": email, "password": "wrong password", "csrf_token": CSRF.search(page)[1]}
    start = time.perf_counter()
    # Flask-WTF checks the Referer of HTTPS form posts.
    answer = client.post("/login", data=data, base_url=HTTPS, headers={"Referer": HTTPS})
    elapsed = time.perf_counter() - start
    assert answer.status_code == 401, answer.status_code
    return elapsed


def measure(backend: str, pg_url: str | None, n: int) -> list[tuple]:
    url, cleanup = fresh_database(backend, pg_url)
    rows = []
    try:
        app = _app(url)
        client = app.test_client()
        for name, call in (("token endpoint", _api), ("web form", _web)):
            times = {KNOWN: [], UNKNOWN: []}
            call(client, KNOWN), call(client, UNKNOWN)  # warm-up: first hashes, caches
            for i in range(n):
                order = (KNOWN, UNKNOWN) if i % 2 == 0 else (UNKNOWN, KNOWN)
                for email in order:
                    times[email].append(call(client, email))
            known, unknown = (statistics.median(times[e]) * 1000 for e in (KNOWN, UNKNOWN))
            ratio = max(known, unknown) / min(known, unknown)
            rows.append((backend, name, known, unknown, ratio))
            verdict = "ok" if ratio <= 1.2 else "OVER 20%"
            print(
                f"  {backend:10} {name:15} known {known:7.1f} ms  unknown {unknown:7.1f} ms  "
                f"ratio {ratio:.3f}  {verdict}"
            )
        with app.app_context():
            from twinflow.extensions import db

            db.engine.dispose()
    finally:
        cleanup()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--n", type=int, default=40, help="requests of each kind")
    args = parser.parse_args()
    pg_url = os.environ.get("TWINFLOW_BENCH_DATABASE_URL") or os.environ.get(
        "TWINFLOW_TEST_DATABASE_URL"
    )
    print(f"median of {args.n} wrong-password sign-ins per kind, alternating")
    rows = []
    for backend in args.backends.split(","):
        if backend == "postgresql" and not pg_url:
            print("  postgresql: no TWINFLOW_BENCH_DATABASE_URL, skipped")
            continue
        rows += measure(backend, pg_url, args.n)
    worst = max(row[4] for row in rows)
    print(f"worst ratio {worst:.3f} ({'within' if worst <= 1.2 else 'OUTSIDE'} the 20% target)")
    sys.exit(0 if worst <= 1.2 else 1)


if __name__ == "__main__":
    main()
