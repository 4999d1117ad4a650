"""Does the project page show exactly what it showed before? (issue 18, the page's cuts)

    .venv/bin/python bench/page_same.py dump --out /tmp/after.json [--db /tmp/pages.sqlite3]
        [--language en|fr]
    PYTHONPATH=/tmp/before-page .venv/bin/python bench/page_same.py dump --out /tmp/before.json
    .venv/bin/python bench/page_same.py compare /tmp/before.json /tmp/after.json

`dump` seeds the demo into a SQLite file (once; each dump then reads a copy of it, so two
trees read the same rows), signs in as every demo user and saves the HTML of every demo
project's page as that user sees it: the first page of the timeline, `?events=50`, and a
refused action (a comment over its 4,000 characters: the page again with the form's errors),
or the 404 when the user may not see the project. CSRF token values are masked (they differ
per session and per second; each is numbered by first appearance, so a page's forms must
carry the same tokens as before); nothing else is. `compare` prints every (user, page) whose
HTML differs, with the first differing lines, and exits 1 if any does. Run `dump` from another
tree by putting that tree first on PYTHONPATH (the tree imported is printed).
"""

import argparse
import difflib
import json
import re
import sqlite3
import sys
import tempfile
from pathlib import Path

CSRF = re.compile(r'(name="(?:[a-z_]+-)?csrf_token"[^>]*value=")([^"]+)(")')
TRIGGER = re.compile(r'data-trigger="([a-z_]+)"')


def seed(path: Path) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import select

    from twinflow import create_app
    from twinflow.auth.models import User

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        from twinflow.demo_data import seed_demo
        from twinflow.extensions import db
        from twinflow.services import get_engine

        upgrade()
        engine = get_engine()
        seed_demo(db.session, engine, app.config["PASSWORD_HASH_METHOD"])
        db.session.commit()
        # Sign-offs left pending (the demo has none): who waits for whom, and what a rival
        # Member State must not learn of a partner chosen in its call.
        now = engine.clock.now()
        for email, pid, trigger, data in (
            ("delegation@twinflow.demo", 5, "select_partner", {}),
            (
                "delegation.am@twinflow.demo",
                2,
                "sign_contract",
                {"contract_signed_at": now.isoformat(), "implementation_start": now.isoformat()},
            ),
        ):
            user = db.session.scalar(select(User).where(User.email == email))
            try:
                engine.fire(db.session, user, pid, trigger, comment="For the check.", data=data)
            except Exception as exc:  # the check runs without it, and says so
                details = getattr(exc, "details", "")
                print(f"not fired: {trigger} on {pid}: {exc!r} {details}", file=sys.stderr)


def masked(html: str) -> str:
    """CSRF values numbered by first appearance: a page whose forms carried two different
    tokens (or none) would still differ from one whose forms all carry the request's token."""
    seen = {}
    return CSRF.sub(lambda m: f"{m[1]}token-{seen.setdefault(m[2], len(seen) + 1)}{m[3]}", html)


def dump(args) -> None:
    import twinflow

    print(f"tree: {Path(twinflow.__file__).parents[1]}", file=sys.stderr)
    source = Path(args.db)
    if not source.exists():
        seed(source)
    work = Path(tempfile.mkdtemp()) / "pages.sqlite3"
    with sqlite3.connect(source) as old, sqlite3.connect(work) as new:
        old.backup(new)  # a copy that includes what is still in the write-ahead log

    from sqlalchemy import select

    from twinflow import create_app
    from twinflow.auth.models import User
    from twinflow.demo_data import DEMO_PASSWORD
    from twinflow.extensions import db
    from twinflow.projects.models import Project

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{work}")
    with app.app_context():
        emails = list(db.session.scalars(select(User.email).order_by(User.id)))
        projects = list(db.session.scalars(select(Project.id).order_by(Project.id)))
    pages = {}
    for email in emails:
        client = app.test_client()
        client.set_cookie("twinflow_language", args.language)
        token = CSRF.search(client.get("/login").get_data(as_text=True))[2]
        form = {"email": email, "password": DEMO_PASSWORD, "csrf_token": token}
        if client.post("/login", data=form).status_code != 302:
            continue  # a deactivated or otherwise refused account
        for pid in projects:
            for suffix in ("", "?events=50"):
                answer = client.get(f"/projects/{pid}{suffix}")
                html = answer.get_data(as_text=True)
                pages[f"{email} /projects/{pid}{suffix}"] = [answer.status_code, masked(html)]
            found = TRIGGER.search(html)
            if answer.status_code == 200 and found:
                token = CSRF.search(html)[2]
                answer = client.post(
                    f"/projects/{pid}/actions/{found[1]}",
                    data={f"{found[1]}-csrf_token": token, f"{found[1]}-comment": "x" * 4001},
                )
                key = f"{email} POST /projects/{pid}/actions/{found[1]} (refused)"
                pages[key] = [answer.status_code, masked(answer.get_data(as_text=True))]
    Path(args.out).write_text(json.dumps(pages, indent=0, sort_keys=True))
    ok = sum(1 for status, _ in pages.values() if status == 200)
    print(f"{len(pages)} pages ({ok} of them 200) written to {args.out}", file=sys.stderr)


def compare(args) -> int:
    before = json.loads(Path(args.before).read_text())
    after = json.loads(Path(args.after).read_text())
    differ = 0
    for key in sorted(set(before) | set(after)):
        if before.get(key) == after.get(key):
            continue
        differ += 1
        print(f"DIFFERS: {key}")
        old, new = before.get(key, [None, ""]), after.get(key, [None, ""])
        if old[0] != new[0]:
            print(f"  status {old[0]} -> {new[0]}")
        lines = difflib.unified_diff(old[1].splitlines(), new[1].splitlines(), lineterm="", n=1)
        for line in list(lines)[2:14]:
            print(f"  {line[:200]}")
    print(f"{len(set(before) | set(after))} pages compared, {differ} differ")
    return 1 if differ else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--out", required=True)
    d.add_argument("--db", default="/tmp/twinflow-page-same.sqlite3")
    d.add_argument("--language", default="en")
    c = sub.add_parser("compare")
    c.add_argument("before")
    c.add_argument("after")
    args = ap.parse_args()
    if args.command == "dump":
        dump(args)
    else:
        sys.exit(compare(args))


if __name__ == "__main__":
    main()
