"""The audit key: required in production, never sent to the database, and chains written before
keying began keep verifying."""

import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import event, insert

from config import TestingConfig
from tests.audit.attacker import EVENTS, forge_successor
from tests.factories import Cast
from twinflow import create_app
from twinflow.audit.keys import AuditKeyError, hmac_pads
from twinflow.audit.operations import append_event, verify_chain


def _old_hash(prev_hash: str, payload: dict) -> str:
    """The hash of an event as twinflow wrote it before keying (742a8f3), spelt out here
    independently of the code under test."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + text).encode()).hexdigest()


def test_a_chain_written_before_keying_keeps_verifying_and_keying_begins_with_the_next_event(
    app, backend
):
    from twinflow.extensions import db

    when = datetime(2026, 6, 1, 12, tzinfo=UTC)
    with app.app_context():
        downgrade(revision="0007")
        prev = "0" * 64
        for seq in (1, 2, 3):
            row = dict(
                seq=seq,
                occurred_at=when + timedelta(minutes=seq),
                actor_id=None,
                actor_email=f"legacy{seq}@example.eu",
                action="user_created",
                project_id=None,
                trigger=None,
                from_state=None,
                to_state=None,
            )
            payload = row | {"occurred_at": row["occurred_at"].isoformat(), "data": {"n": seq}}
            digest = _old_hash(prev, payload)
            db.session.execute(
                insert(EVENTS).values(**row, data=f'{{"n":{seq}}}', prev_hash=prev, hash=digest)
            )
            prev = digest
        db.session.commit()
        upgrade()

        for n in (4, 5):
            append_event(db.session, action="user_created", now=when, data={"n": n})
        db.session.commit()
        result = verify_chain(db.session)
        assert result.ok, result.reason
        assert (result.checked, result.keyed_from) == (5, 4)
        assert "events 1-3 from before keying (plain SHA-256)" in result.summary()

        # After keying began, an event with a plain hash is a forgery.
        forged = forge_successor(db.session)
        db.session.commit()
        result = verify_chain(db.session)
        assert result.broken_seq == forged == 6
        assert "without the audit key although keying began at event 4" in result.reason


def test_the_database_never_receives_the_audit_key(make, session, sa_engine):
    sent = []

    @event.listens_for(sa_engine, "before_cursor_execute")
    def capture(_conn, _cursor, _statement, parameters, _context, _executemany):
        rows = parameters if isinstance(parameters, list) else [parameters]
        for row in rows:
            for value in row.values() if isinstance(row, dict) else row or ():
                # LargeBinary reaches the driver wrapped: sqlite3.Binary is a memoryview,
                # psycopg's Binary holds the bytes in .obj.
                value = getattr(value, "obj", value)
                sent.append(bytes(value) if isinstance(value, memoryview) else value)

    Cast(make).to("call_open")
    secret = TestingConfig.AUDIT_KEY.encode()
    ipad, opad = hmac_pads(secret)  # the master key's own padded forms
    binary = [v for v in sent if isinstance(v, bytes)]
    assert binary, "the appends pass no seal: the test no longer sees them"
    assert not [v for v in binary if secret in v or ipad in v or opad in v]
    texts = [v for v in sent if isinstance(v, str)]
    assert not [v for v in texts if TestingConfig.AUDIT_KEY in v or secret.hex() in v]


@pytest.mark.parametrize(
    ("key", "expected"),
    [(None, "TWINFLOW_AUDIT_KEY is not set"), ("too-short", "at least 32 characters")],
)
def test_production_refuses_to_start_without_a_usable_audit_key(tmp_path, key, expected):
    with pytest.raises(AuditKeyError, match=expected):
        create_app(
            "production", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.db'}", AUDIT_KEY=key
        )


def test_the_command_line_names_the_missing_key_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWINFLOW_")}
    env |= {"TWINFLOW_ENV": "production", "TWINFLOW_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    done = subprocess.run(
        [sys.executable, "-c", "from twinflow.cli import main; main()", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Error: TWINFLOW_AUDIT_KEY is not set" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_database_engine_without_the_audit_key_refuses_to_write_or_verify_naming_the_setting(
    db_url, session
):
    # A script that opens the database with a plain create_engine (no audit key on it) must be
    # told what is missing, not fail somewhere inside the chain with None.
    from sqlalchemy import create_engine, func, select
    from sqlalchemy.orm import Session

    from twinflow.audit.models import AuditEvent

    before = session.scalar(select(func.count()).select_from(AuditEvent))
    bare = create_engine(db_url)
    try:
        with Session(bare) as keyless:
            with pytest.raises(AuditKeyError, match="no audit key on this database engine"):
                verify_chain(keyless)
            with pytest.raises(AuditKeyError, match="TWINFLOW_AUDIT_KEY"):
                append_event(keyless, action="project_created", now=datetime.now(UTC))
    finally:
        bare.dispose()
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before
