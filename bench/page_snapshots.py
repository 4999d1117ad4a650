"""The dashboard and the project list as each kind of user sees them, saved to compare two trees.

    .venv/bin/python bench/page_snapshots.py --out /tmp/after [--db /tmp/snapshots.sqlite3]
    PYTHONPATH=/tmp/before .venv/bin/python /tmp/before/bench/page_snapshots.py --out /tmp/before
    .venv/bin/python bench/page_snapshots.py --compare /tmp/before /tmp/after

A speed change must not change what a page shows, least of all to whom (a Member State must
never see a rival's project or name). This seeds one SQLite file (kept with `--db`, reused
when it exists: run both trees on the same file): the demo plus varied projects (countries,
institutions, sectors, budgets, imported records with partial dates, Member State partners,
every state), then, signed in as the coordinator, two rival Member States, an NCP, a
beneficiary, a Delegation covering some countries only and the administrator, saves the
dashboard and the project list under filters, sorts and pages, in English and French. CSRF
tokens are blanked (they differ per session). `--compare` prints every file that differs.
"""

import argparse
import difflib
import re
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from twinflow.workflow.definition import load_file  # noqa: E402 - after the path

CSRF = re.compile(r'(name="csrf_token"[^>]*value=")([^"]+)(")')
USERS = [
    "delegation@twinflow.demo",  # headquarters coordinator: every project
    "delegation.am@twinflow.demo",  # a Delegation covering Armenia and Moldova only
    "delegation.ge@twinflow.demo",
    "france@twinflow.demo",  # two rival Member States
    "germany@twinflow.demo",
    "ncp.fr@twinflow.demo",  # France's National Contact Point
    "justice.ge@twinflow.demo",  # a beneficiary administration
    "finance.am@twinflow.demo",
    "admin@twinflow.demo",
]
LISTS = [
    "/projects",
    "/projects?per_page=50",
    "/projects?per_page=100&page=2",
    "/projects?page=3",
    "/projects?page=999",
    "/projects?sort=title&dir=asc",
    "/projects?sort=budget&dir=desc&per_page=50&page=2",
    "/projects?sort=start&dir=asc",
    "/projects?sort=end&dir=desc",
    "/projects?sort=country&dir=asc",
    "/projects?sort=state&dir=desc",
    "/projects?sort=reference&dir=asc&per_page=50",
    "/projects?state=selection",
    "/projects?state=call_open&sort=title&dir=asc",
    "/projects?state=fiche_drafting&page=2",
    "/projects?country=AM",
    "/projects?member_state=FR",
    "/projects?member_state=DE&sort=changed&dir=asc",
    "/projects?q=justice",
    "/projects?q=france",
    "/projects?q=georgia+ministry",
    "/projects?type=twinning_light",
    "/projects?instrument=ENI&sector=JH",
    "/projects?year_from=2018&year_to=2021",
    "/projects?year_from=abc",  # refused: 422 with the field's reason
    "/projects?q=%01",
    "/public/projects",  # the public list shares the filter form and the paging
    "/public/projects?sort=title&dir=asc&page=2&country=GE",
]
# Every state of the standard lifecycle, in its order: the seeded projects cycle through them.
STATES = list(load_file(ROOT / "workflows" / "twinning.yaml").states)


def seed(url: str, n: int) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import select, update

    from twinflow import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from twinflow.auth.models import User
        from twinflow.demo_data import seed_demo
        from twinflow.extensions import db
        from twinflow.projects.models import Project
        from twinflow.projects.operations import create_project
        from twinflow.services import get_engine

        upgrade()
        engine = get_engine()
        seed_demo(db.session, engine, app.config["PASSWORD_HASH_METHOD"])
        hq = db.session.scalar(select(User).where(User.email == "delegation@twinflow.demo"))
        countries = ["GE", "AM", "MD", "UA", "AZ"]
        sectors = ["JH", "FI", "EN", "SO", "TP", "AG", "HE"]
        instruments = ["ENI", "IPA", "NDICI"]
        institutions = ["Ministry of Justice", "Ministry of Finance", "Customs Service", "Bank"]
        for i in range(n):
            country = countries[i % len(countries)]
            try:
                project = create_project(
                    db.session,
                    engine,
                    hq,
                    dict(
                        title=f"Varied project {i} {'Justice' if i % 3 else 'Finance & audit'}",
                        workflow="twinning_light" if i % 4 == 0 else "twinning",
                        sector=sectors[i % len(sectors)],
                        instrument=instruments[i % len(instruments)],
                        budget_eur=100_000 + 613 * i if i % 4 == 0 else 300_000 + 7_919 * i,
                        implementation_months=6 if i % 4 == 0 else 24,
                        beneficiary_country=country,
                        beneficiary_institution=f"{institutions[i % 4]} of {country}",
                    ),
                    commit=False,
                )
            except Exception as error:
                raise SystemExit(f"project {i}: {getattr(error, 'errors', error)}") from error
            # Shown values only: a read-only picture of a portfolio, not a history.
            values = {"state": STATES[i % len(STATES)]}
            if i % 3 == 0:
                values.update(
                    imported_at=project.created_at,
                    start_on=date(2015 + i % 8, 1 + 3 * (i % 4), 1),
                    start_precision=["year", "quarter", "month", "day"][i % 4],
                    end_on=date(2017 + i % 8, 1 + (i % 12), 1),
                    end_precision=["month", "year", "day", "quarter"][i % 4],
                    lead_member_state=["FR", "DE", "LT", None][i % 4],
                    junior_member_states=[["DE"], ["FR", "LT"], [], ["FR"]][i % 4],
                )
            elif i % 3 == 1:
                values.update(
                    circulated_at=project.created_at if i % 2 else None,
                    implementation_start=project.created_at + timedelta(days=30 * (i % 9)),
                    implementation_end=project.created_at + timedelta(days=400 + i),
                    state_changed_at=project.created_at - timedelta(days=i),
                )
            else:
                values.update(budget_eur=None if i % 5 == 0 else project.budget_eur)
            db.session.execute(update(Project).where(Project.id == project.id).values(**values))
        db.session.commit()


def snapshot(url: str, out: Path) -> int:
    from twinflow import create_app
    from twinflow.demo_data import DEMO_PASSWORD

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    out.mkdir(parents=True, exist_ok=True)
    saved = 0
    for email in USERS:
        for language in ("en", "fr"):
            client = app.test_client()
            client.set_cookie("twinflow_language", language)
            page = client.get("/login").get_data(as_text=True)
            form = {"email": email, "password": DEMO_PASSWORD, "csrf_token": CSRF.search(page)[2]}
            assert client.post("/login", data=form).status_code == 302, email
            addresses = ["/"] + (LISTS if language == "en" else LISTS[:6])
            for address in addresses:
                answer = client.get(address)
                assert answer.status_code in (200, 422), (email, address, answer.status_code)
                text = CSRF.sub(r"\1-\3", answer.get_data(as_text=True))
                name = re.sub(r"[^A-Za-z0-9]+", "_", f"{email}_{language}_{address}")
                (out / f"{name}.html").write_text(f"{answer.status_code}\n{text}")
                saved += 1
    return saved


def compare(a: Path, b: Path) -> int:
    names = sorted({p.name for p in a.glob("*.html")} | {p.name for p in b.glob("*.html")})
    differ = 0
    for name in names:
        left, right = a / name, b / name
        if not left.exists() or not right.exists():
            print(f"only in one tree: {name}")
            differ += 1
            continue
        x, y = left.read_text().splitlines(), right.read_text().splitlines()
        if x != y:
            differ += 1
            print(f"DIFFERS: {name}")
            print("\n".join(list(difflib.unified_diff(x, y, lineterm="", n=1))[:30]))
    print(f"{len(names)} pages compared, {differ} differ")
    return differ


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/tmp/twinflow-snapshots.sqlite3")
    ap.add_argument("--projects", type=int, default=240)
    ap.add_argument("--out", default="")
    ap.add_argument("--compare", nargs=2, default=None)
    args = ap.parse_args()
    if args.compare:
        sys.exit(1 if compare(Path(args.compare[0]), Path(args.compare[1])) else 0)
    path = Path(args.db)
    if not path.exists():
        seed(f"sqlite:///{path}", args.projects)
    print(f"{snapshot(f'sqlite:///{path}', Path(args.out))} pages saved in {args.out}")


if __name__ == "__main__":
    main()
