"""The API's project answers as data, to compare two trees' answers (issue 18's API cuts).

    PYTHONPATH=<tree> .venv/bin/python bench/api_answers.py --db /tmp/reads.sqlite3 --out a.json
    .venv/bin/python bench/api_answers.py --compare a.json b.json

Reads, through the test client of the tree on PYTHONPATH (or this one), with a bearer token of
each demo user (administrator, coordinators, beneficiaries, Member States):
GET /api/v1/projects/<id> for every demo project and a few generated ones, and the first page
of GET /api/v1/projects; writes each answer's status, headers (but the per-request
X-Request-ID) and JSON body. `--compare` says whether two such files hold the same answers,
listing the first differences. The database is the one bench/read_costs.py and
bench/http_reads.py seed (`--db`; seeded when missing).
"""

import argparse
import json
import sys
from pathlib import Path

USERS = (
    "admin@twinflow.demo",
    "delegation@twinflow.demo",
    "delegation.ge@twinflow.demo",
    "cfcu@twinflow.demo",
    "justice.ge@twinflow.demo",
    "finance.am@twinflow.demo",
    "france@twinflow.demo",
    "germany@twinflow.demo",
    "lithuania@twinflow.demo",
)
# Answers that change from one request to the next.
UNSTABLE_HEADERS = {"X-Request-ID"}


def answers(url: str, generated: int = 5) -> dict:
    from sqlalchemy import select

    from twinflow import create_app
    from twinflow.demo_data import DEMO_PASSWORD
    from twinflow.extensions import db
    from twinflow.projects.models import Project

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        ids = list(db.session.scalars(select(Project.id).order_by(Project.id)))
    demo = [i for i in ids if i <= ids[0] + 40]
    chosen = demo + ids[-generated:]
    client = app.test_client()
    found = {}
    for email in USERS:
        sent = client.post("/api/v1/auth/token", json={"email": email, "password": DEMO_PASSWORD})
        assert sent.status_code == 200, (email, sent.status_code)
        bearer = {"Authorization": f"Bearer {sent.get_json()['token']}"}
        addresses = [f"/api/v1/projects/{i}" for i in chosen]
        addresses += ["/api/v1/projects?per_page=50", "/api/v1/projects?per_page=50&page=40"]
        for address in addresses:
            answer = client.get(address, headers=bearer)
            headers = {k: v for k, v in answer.headers.items() if k not in UNSTABLE_HEADERS}
            found[f"{email} {address}"] = {
                "status": answer.status_code,
                "headers": sorted(headers.items()),
                "body": answer.get_json(),
            }
    return found


def compare(a: dict, b: dict) -> list[str]:
    problems = [f"only in one file: {k}" for k in sorted(set(a) ^ set(b))]
    for key in sorted(set(a) & set(b)):
        for part in ("status", "headers", "body"):
            if a[key][part] != b[key][part]:
                problems.append(f"{key}: {part} differs")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/tmp/twinflow-read-costs.sqlite3")
    ap.add_argument("--out", default="")
    ap.add_argument("--compare", nargs=2, default=None)
    args = ap.parse_args()
    if args.compare:
        a, b = (json.loads(Path(p).read_text()) for p in args.compare)
        problems = compare(a, b)
        statuses = sorted({v["status"] for v in a.values()})
        print(f"{len(a)} answers (statuses {statuses}), {len(problems)} differences")
        for line in problems[:20]:
            print(" ", line)
        sys.exit(1 if problems else 0)
    path = Path(args.db)
    url = f"sqlite:///{path}"
    if not path.exists():
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from bench.http_reads import seed

        seed(url, 2000)
    import twinflow

    found = answers(url)
    text = json.dumps(found, indent=1, sort_keys=True)
    if args.out:
        Path(args.out).write_text(text)
    print(f"{len(found)} answers from {Path(twinflow.__file__).parent}")


if __name__ == "__main__":
    main()
