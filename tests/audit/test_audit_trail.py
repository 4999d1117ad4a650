"""The audit trail is append-only in the database and tamper-evident by its hash chain."""

import csv
import io
import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.factories import Cast
from twinflow.audit.models import AuditEvent
from twinflow.audit.operations import verify_chain


@pytest.fixture
def walked(make):
    cast = Cast(make)
    cast.to("implementation")
    return cast


def _bypass_guards(session, backend):
    """What an attacker with database access would do: switch the append-only triggers off."""
    if backend == "postgresql":
        session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        session.execute(text("ALTER TABLE audit_head DISABLE TRIGGER USER"))
    else:
        for name in (
            "audit_events_no_update",
            "audit_events_no_delete",
            "audit_head_forward_only",
            "audit_head_no_delete",
        ):
            session.execute(text(f"DROP TRIGGER {name}"))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'nothing' WHERE seq = 3",
        "DELETE FROM audit_events WHERE seq = 3",
        "UPDATE audit_head SET seq = 1",
    ],
)
def test_the_database_refuses_to_change_or_delete_audit_events(walked, session, statement):
    with pytest.raises(DBAPIError, match="append-only|only moves forward"):
        session.execute(text(statement))
    session.rollback()
    assert verify_chain(session).ok


@pytest.mark.only_backend("postgresql")
def test_postgresql_refuses_to_truncate_the_audit_trail(walked, session):
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text("TRUNCATE audit_events CASCADE"))
    session.rollback()


def test_an_event_altered_behind_the_applications_back_is_named_by_verify(walked, session, backend):
    _bypass_guards(session, backend)
    session.execute(text("UPDATE audit_events SET to_state = 'closed' WHERE seq = 9"))
    session.commit()
    result = verify_chain(session)
    assert not result.ok
    assert result.broken_seq == 9 and result.checked == 8
    assert "altered" in result.reason


def test_an_event_deleted_from_the_middle_is_detected(walked, session, backend):
    _bypass_guards(session, backend)
    session.execute(text("DELETE FROM audit_events WHERE seq = 5"))
    session.commit()
    result = verify_chain(session)
    assert not result.ok and result.checked == 4
    assert "event 5 is missing" in result.reason


def test_a_trail_longer_than_a_chunk_verifies_and_an_event_beyond_the_first_chunk_is_named(
    walked, session, backend
):
    # verify reads the trail chunk by chunk (a 2-million-event trail is never held at once):
    # events past the first chunk are checked just the same, and none stays in the session.
    whole = verify_chain(session)
    assert whole.checked > 12
    chunked = verify_chain(session, batch=4)
    assert chunked.ok and chunked.checked == whole.checked
    assert chunked.last_hash == whole.last_hash
    held = [o for o in session.identity_map.values() if isinstance(o, AuditEvent)]
    assert not held
    _bypass_guards(session, backend)
    session.execute(text("UPDATE audit_events SET actor_email = 'x@y.z' WHERE seq = 11"))
    session.commit()
    broken = verify_chain(session, batch=4)
    assert not broken.ok
    assert (broken.broken_seq, broken.checked) == (11, 10)
    assert "altered" in broken.reason


def test_events_removed_from_the_end_are_detected_through_the_chain_head(walked, session, backend):
    _bypass_guards(session, backend)
    last = session.scalar(text("SELECT max(seq) FROM audit_events"))
    session.execute(text(f"DELETE FROM audit_events WHERE seq = {last}"))
    session.commit()
    result = verify_chain(session)
    assert not result.ok and "removed from the end" in result.reason


def test_each_event_records_who_when_what_and_the_states(walked, session):
    from sqlalchemy import select

    event = session.scalars(select(AuditEvent).where(AuditEvent.trigger == "approve_fiche")).one()
    assert event.actor_email == walked.coordinator.email
    assert (event.from_state, event.to_state) == ("fiche_review", "call_open")
    assert event.project_id == walked.project.id
    assert event.occurred_at.tzinfo is not None
    assert len(event.hash) == 64 and event.prev_hash != event.hash


def test_comments_in_any_script_keep_the_chain_verifiable(make, session):
    # PostgreSQL hashes the event itself (one round trip): it must hash the very bytes Python
    # verifies, quotes, backslashes and non-Latin letters included.
    cast = Cast(make)
    comment = 'Zürich – Łódź – Тбилиси – 東京, "quoted" \\ and a tab\tend 🇪🇺'
    make.fire(cast.beneficiary, cast.project, "submit_fiche", comment=comment)
    make.fire(cast.coordinator, cast.project, "return_fiche", comment=comment)
    session.commit()
    result = verify_chain(session)
    assert result.ok, result.reason
    stored = session.scalar(text("SELECT data FROM audit_events WHERE trigger = 'return_fiche'"))
    assert json.loads(stored)["comment"] == comment


def test_the_exports_keep_comments_in_any_script_as_written(app, make, session):
    # An auditor reads the export as text: letters stay letters, not \u escapes.
    cast = Cast(make)
    comment = "Тбилиси – 東京 – Łódź"
    make.fire(cast.beneficiary, cast.project, "submit_fiche", comment=comment)
    make.fire(cast.coordinator, cast.project, "return_fiche", comment=comment)
    session.commit()
    runner = app.test_cli_runner()
    for fmt in ("csv", "json"):
        exported = runner.invoke(args=["audit", "export", "--format", fmt])
        assert exported.exit_code == 0
        assert comment in exported.stdout, fmt


def test_the_chain_head_always_holds_the_newest_events_hash(walked, session):
    newest = session.execute(
        text("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
    ).one()
    head = session.execute(text("SELECT seq, last_hash FROM audit_head WHERE id = 1")).one()
    assert tuple(head) == tuple(newest)


def test_audit_verify_prints_the_count_and_exits_0_or_names_the_broken_event(
    app, walked, session, backend
):
    ok = app.test_cli_runner().invoke(args=["audit", "verify"])
    count = verify_chain(session).checked
    assert ok.exit_code == 0
    assert f"ok: {count} events checked" in ok.output
    _bypass_guards(session, backend)
    session.execute(text("UPDATE audit_events SET data = '{}' WHERE seq = 7"))
    session.commit()
    broken = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert "BROKEN at event 7" in broken.output


def test_audit_export_writes_every_event_as_csv_and_json(app, walked, session):
    count = verify_chain(session).checked
    runner = app.test_cli_runner()
    as_csv = runner.invoke(args=["audit", "export", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == count and rows[0]["seq"] == "1"
    assert as_csv.stderr.strip() == f"exported {count} events"
    as_json = runner.invoke(args=["audit", "export", "--format", "json"])
    events = json.loads(as_json.stdout)
    assert len(events) == count
    assert as_json.stderr.strip() == f"exported {count} events"
    assert events[-1]["hash"] == rows[-1]["hash"]


def test_users_create_makes_a_user_and_refuses_bad_input_with_the_field_named(app):
    runner = app.test_cli_runner()
    made = runner.invoke(
        args=[
            "users",
            "create",
            "ms@example.eu",
            "--password",
            "long enough password",
            "--role",
            "member_state",
            "--organisation",
            "Bundesamt",
            "--country",
            "DE",
        ]
    )
    assert made.exit_code == 0 and "created user" in made.output
    bad = runner.invoke(
        args=[
            "users",
            "create",
            "not-an-email",
            "--password",
            "short",
            "--role",
            "member_state",
            "--country",
            "GE",
        ]
    )
    assert bad.exit_code != 0
    assert "email: must be an e-mail address" in bad.output
    assert "password: must be at least 10 characters" in bad.output
    assert "country: GE is not an EU Member State" in bad.output
