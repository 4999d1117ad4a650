"""Upgrading a database made by an older twinflow (commit 742a8f3: approvals and record
co-signatures in two tables) carries every approval and every signature over as a sign-off with
its decisions, the approvals under their ids, so /approvals/<id> links keep working."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from twinflow import create_app
from twinflow.approvals.models import Signoff

REPO = Path(__file__).resolve().parents[2]
OLD = "742a8f3"
# Run inside the old tree: its own migrations, then its own demo seed.
SEED = """
import sys
from flask_migrate import upgrade
from twinflow import create_app
from twinflow.demo_data import seed_demo
from twinflow.extensions import db
app = create_app("testing", SQLALCHEMY_DATABASE_URI=sys.argv[1])
with app.app_context():
    upgrade()
    seed_demo(db.session, app.extensions["twinflow.engine"], app.config["PASSWORD_HASH_METHOD"])
    db.session.commit()
"""
WHEN = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _made_by_the_old_version(url: str, folder: Path) -> None:
    folder.mkdir()
    archive = subprocess.run(
        ["git", "archive", OLD], cwd=REPO, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    env = {**os.environ, "PYTHONPATH": str(folder)}
    subprocess.run(
        [sys.executable, "-c", SEED, url], cwd=folder, env=env, check=True, capture_output=True
    )


def _insert(conn, table: str, **values) -> int:
    names = ", ".join(values)
    marks = ", ".join(f":{k}" for k in values)
    return conn.execute(
        text(f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id"), values
    ).scalar_one()


def _reports_with_signatures(conn) -> dict[str, int]:
    """Three reports as the old version left them: one half signed, one signed and submitted,
    one returned after round 1 and signed again by one leader in round 2."""
    project_id = conn.execute(
        text("SELECT id FROM projects WHERE state = 'implementation' ORDER BY id")
    ).scalar()
    beneficiary, france = (
        conn.execute(text(f"SELECT id FROM users WHERE role = '{role}' ORDER BY id")).scalar()
        for role in ("beneficiary", "member_state")
    )
    made = {}
    for number, (name, state, signing_round) in enumerate(
        (("half", "draft", 1), ("submitted", "submitted", 1), ("returned", "returned", 2)), 1
    ):
        made[name] = _insert(
            conn,
            "reports",
            project_id=project_id,
            kind="interim",
            number=90 + number,
            period_start=WHEN,
            period_end=WHEN,
            title=f"Report {name}",
            summary="",
            state=state,
            workflow_version="0" * 16,
            signing_round=signing_round,
            author_id=beneficiary,
            created_at=WHEN,
            updated_at=WHEN,
        )
    signed = [
        ("half", 1, "beneficiary", beneficiary),
        ("submitted", 1, "beneficiary", beneficiary),
        ("submitted", 1, "lead_member_state", france),
        ("returned", 1, "beneficiary", beneficiary),
        ("returned", 1, "lead_member_state", france),
        ("returned", 2, "lead_member_state", france),
    ]
    for name, signing_round, party, user_id in signed:
        _insert(
            conn,
            "record_signatures",
            record_type="report",
            record_id=made[name],
            signing_round=signing_round,
            trigger="submit",
            party=party,
            user_id=user_id,
            signed_at=WHEN,
        )
    return made


def test_a_database_made_at_742a8f3_keeps_its_approvals_and_signatures_as_signoffs(
    empty_db_url, tmp_path, clock
):
    _made_by_the_old_version(empty_db_url, tmp_path / "old")
    old = create_engine(empty_db_url)
    with old.begin() as conn:
        reports = _reports_with_signatures(conn)
        approvals = conn.execute(
            text("SELECT id, project_id, trigger, status, parties FROM approval_requests")
        ).all()
        decisions = conn.execute(
            text("SELECT id, request_id, party, user_id, decision FROM approval_decisions")
        ).all()
    old.dispose()
    assert approvals and decisions  # the old demo asked for and decided on approvals

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_db_url, CLOCK=clock)
    with app.app_context():
        upgrade()
        from twinflow.extensions import db

        db.engine.dispose()

    new = create_engine(empty_db_url)
    with Session(new) as session:
        by_id = {s.id: s for s in session.scalars(select(Signoff))}
        for a in approvals:
            carried = by_id[a.id]
            assert (carried.subject_type, carried.subject_id) == ("project", a.project_id)
            assert (carried.trigger, carried.status) == (a.trigger, a.status)
        carried_decisions = {d.id: (d.signoff_id, d.party, d.user_id, d.decision)
                             for s in by_id.values() for d in s.decisions}  # fmt: skip
        for d in decisions:
            assert carried_decisions[d.id] == (d.request_id, d.party, d.user_id, d.decision)

        def of(name):
            return sorted(
                (s.round, s.status, tuple(d.party for d in s.decisions))
                for s in by_id.values()
                if s.subject_type == "report" and s.subject_id == reports[name]
            )

        assert of("half") == [(1, "pending", ("beneficiary",))]
        assert of("submitted") == [(1, "approved", ("beneficiary", "lead_member_state"))]
        assert of("returned") == [
            (1, "approved", ("beneficiary", "lead_member_state")),
            (2, "pending", ("lead_member_state",)),
        ]
        # New sign-offs take ids past the carried ones (PostgreSQL's sequence moved on).
        first = by_id[approvals[0].id]
        fresh = Signoff(
            project_id=first.project_id,
            subject_type="project",
            subject_id=first.project_id,
            trigger="t",
            from_state="s",
            parties=["a", "b"],
            status="withdrawn",
            requested_by_id=first.requested_by_id,
        )
        session.add(fresh)
        session.flush()
        assert fresh.id > max(by_id)
        session.rollback()
    new.dispose()
