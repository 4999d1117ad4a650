"""Benchmark: bytes a browser transfers for a project page, first visit and repeat visit.

    .venv/bin/python bench/page_bytes.py [--tree /path/to/other/checkout]

A plain HTTP walk through the app (Flask's test client, the real middleware): sign in as the
demo's coordinator, open the demo's longest-running project page asking
`Accept-Encoding: gzip, deflate, br, zstd` as a browser does, then fetch every asset the page
names (stylesheets, scripts, icons, images). The repeat visit behaves like a browser cache:
an asset answered with `immutable` or a `max-age` still fresh is not asked for again; any
other is revalidated with `If-None-Match` / `If-Modified-Since` (a 304 costs its headers).
Bytes = status line + headers + body as sent. `--tree` runs another checkout (e.g. a
`git archive` of main) through the same walk, for the before figure.
Targets (issue 18): first visit <= 400 KB, repeat visit <= 50 KB.
"""

import argparse
import re
import sys
import tempfile
from pathlib import Path

ap = argparse.ArgumentParser()
ap.add_argument("--tree", default=str(Path(__file__).resolve().parents[1]))
args = ap.parse_args()
sys.path.insert(0, args.tree)

from flask_migrate import upgrade  # noqa: E402

from twinflow import create_app  # noqa: E402

PROJECT = "Strengthening the penitentiary and probation system"
ENCODINGS = "gzip, deflate, br, zstd"
ASSET = re.compile(r'(?:href|src)="(/assets/[^"]+)"')
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def wire_bytes(response) -> int:
    head = len(f"HTTP/1.1 {response.status}\r\n") + 2
    head += sum(len(k) + len(v) + 4 for k, v in response.headers.items())
    return head + len(response.get_data())


def fresh(cache_control: str) -> bool:
    return "immutable" in cache_control or bool(re.search(r"max-age=[1-9]", cache_control))


def main():
    folder = Path(tempfile.mkdtemp(prefix="twinflow-bytes-"))
    url = f"sqlite:///{folder / 'bytes.sqlite3'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from sqlalchemy import select

        from twinflow.demo_data import DEMO_PASSWORD, seed_demo
        from twinflow.extensions import db
        from twinflow.projects.models import Project

        upgrade()
        seed_demo(db.session, app.extensions["twinflow.engine"], app.config["PASSWORD_HASH_METHOD"])
        db.session.commit()
        project_id = db.session.scalar(select(Project.id).where(Project.title == PROJECT))
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    signed = client.post(
        "/login",
        data={"email": "delegation@twinflow.demo", "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert signed.status_code == 302, "sign-in failed"
    headers = {"Accept-Encoding": ENCODINGS}
    path = f"/projects/{project_id}"

    cache = {}
    for visit in ("first", "repeat"):
        page = client.get(path, headers=headers)
        assert page.status_code == 200 and "timeline" in client.get(path).get_data(as_text=True)
        rows = [
            (path, page.status_code, page.headers.get("Content-Encoding", "-"), wire_bytes(page))
        ]
        plain = client.get(path).get_data(as_text=True)
        for asset in dict.fromkeys(ASSET.findall(plain)):
            asset = asset.replace("&amp;", "&")
            known = cache.get(asset)
            if known and fresh(known.get("Cache-Control", "")):
                rows.append((asset, "cache", "-", 0))
                continue
            conditional = dict(headers)
            if known and known.get("ETag"):
                conditional["If-None-Match"] = known["ETag"]
            if known and known.get("Last-Modified"):
                conditional["If-Modified-Since"] = known["Last-Modified"]
            with client.get(asset, headers=conditional) as answer:
                rows.append(
                    (
                        asset,
                        answer.status_code,
                        answer.headers.get("Content-Encoding", "-"),
                        wire_bytes(answer),
                    )
                )
                if answer.status_code == 200:
                    cache[asset] = dict(answer.headers)
        total = sum(r[3] for r in rows)
        print(f"{visit} visit: {total / 1024:.1f} KB")
        for name, status, enc, size in rows:
            print(f"  {status!s:>5} {enc:>5} {size / 1024:9.1f} KB  {name}")
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
