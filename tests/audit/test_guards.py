"""The database itself takes only the head's successor into the audit trail: no REPLACE, no
insert elsewhere in the chain, no head moved anywhere but onto the new last event."""

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError

from tests.audit.attacker import EVENTS, HEAD, events, head
from twinflow.audit.models import GENESIS_HASH
from twinflow.audit.operations import verify_chain

NAMES = [c.name for c in EVENTS.columns]
COLUMNS = ", ".join(NAMES)


def _insert(verb: str, suffix: str = "") -> str:
    """`verb` INTO audit_events with every column as a named parameter."""
    return f"{verb} INTO audit_events ({COLUMNS}) VALUES (:{', :'.join(NAMES)}){suffix}"


def _values_of(row: dict, **changes) -> dict:
    return {**row, **changes}


def _refused(session, statement, params=None, match="successor"):
    with pytest.raises(DBAPIError, match=match):
        session.execute(statement if not isinstance(statement, str) else text(statement), params)
    session.rollback()


@pytest.mark.only_backend("sqlite")
def test_sqlite_refuses_replace_into_the_audit_trail(walked, session):
    # REPLACE deletes the row it collides with without firing a DELETE trigger: it was the
    # way to change an event's actor in place.
    event = events(session, 5)[0]
    forged = _values_of(event, actor_email="someone.else@example.eu")
    for verb in ("REPLACE", "INSERT OR REPLACE"):
        _refused(session, _insert(verb), forged)
    assert events(session, 5)[0]["actor_email"] == event["actor_email"]
    assert verify_chain(session).ok


@pytest.mark.only_backend("sqlite")
def test_a_replace_posing_as_the_successor_cannot_delete_the_row_whose_id_it_takes(walked, session):
    seq, last_hash, _ = head(session)
    victim = events(session, 5)[0]
    successor = _values_of(victim, seq=seq + 1, prev_hash=last_hash, hash="e" * 64)
    _refused(session, _insert("REPLACE"), successor)
    assert events(session, 5)[0]["id"] == victim["id"]
    assert verify_chain(session).ok


@pytest.mark.only_backend("sqlite")
def test_sqlite_refuses_to_replace_the_chain_head(walked, session):
    seq, _, _ = head(session)
    earlier = events(session, 3)[0]["hash"]
    _refused(
        session,
        "REPLACE INTO audit_head (id, seq, last_hash, keyed_from) VALUES (1, 3, :h, 1)",
        {"h": earlier},
        match="only moves forward",
    )
    assert head(session)[0] == seq


@pytest.mark.only_backend("postgresql")
def test_postgresql_refuses_an_upsert_over_an_event(walked, session):
    event = events(session, 5)[0]
    upsert = _insert("INSERT", " ON CONFLICT (seq) DO UPDATE SET actor_email = 'x@example.eu'")
    _refused(session, upsert, event, match="append-only")
    assert events(session, 5)[0]["actor_email"] == event["actor_email"]


@pytest.mark.parametrize("where", ["ahead", "wrong_prev"])
def test_an_insert_that_is_not_the_heads_successor_is_refused(walked, session, where):
    seq, last_hash, _ = head(session)
    template = events(session, seq)[0]
    del template["id"]
    at = {
        "ahead": dict(seq=seq + 3, prev_hash=last_hash),
        "wrong_prev": dict(seq=seq + 1, prev_hash="a" * 64),
    }[where]
    _refused(session, insert(EVENTS).values(**template | at | {"hash": "b" * 64}))
    assert head(session)[0] == seq
    assert verify_chain(session).ok


@pytest.mark.parametrize(
    "change",
    [
        "last_hash = 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'",
        "seq = seq + 1",
        "keyed_from = keyed_from + 5",
        "seq = seq - 1",
    ],
)
def test_the_chain_head_moves_only_forward_onto_a_stored_event(walked, session, change):
    before = head(session)
    _refused(session, f"UPDATE audit_head SET {change}", match="only moves forward")
    assert head(session) == before


def test_a_second_chain_head_is_refused(walked, session):
    _refused(
        session,
        insert(HEAD).values(id=2, seq=0, last_hash=GENESIS_HASH, keyed_from=1),
        match="only moves forward",
    )
