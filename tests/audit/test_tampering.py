"""Every rewrite of the audit trail found in the security review (issue 12, finding 7) is named
by verify: the event where the history stops being genuine, and why. The attacker owns the
database (triggers off) but not the audit key, unless a test says otherwise."""

import pytest

from tests.audit.attacker import (
    EVENTS,
    change_actor,
    events,
    forge_successor,
    guards_off,
    head,
    rechain,
    set_head,
)
from twinflow.audit.keys import AuditKey
from twinflow.audit.operations import verify_chain

MIDDLE = 6


def test_an_actor_changed_and_the_tail_rechained_without_the_key_is_named(walked, session, backend):
    genuine = events(session, MIDDLE)[0]["actor_email"]
    with guards_off(session, backend):
        rechain(session, MIDDLE, edit=change_actor("someone.else@example.eu"))
    session.commit()
    assert events(session, MIDDLE)[0]["actor_email"] != genuine
    result = verify_chain(session)
    assert not result.ok
    assert (result.broken_seq, result.checked) == (MIDDLE, MIDDLE - 1)
    assert "without the audit key" in result.reason


def test_a_forged_event_inserted_as_the_heads_successor_is_named(walked, session):
    # No trigger is touched: the insert is exactly the head's successor, with its plain
    # SHA-256 computed as the chain had it before keying.
    last = head(session)[0]
    forged = forge_successor(session)
    session.commit()
    assert head(session)[0] == forged == last + 1
    result = verify_chain(session)
    assert not result.ok and result.broken_seq == forged and result.checked == last
    assert "without the audit key" in result.reason


def test_the_last_event_forged_without_the_key_is_named(walked, session, backend):
    last = head(session)[0]
    with guards_off(session, backend):
        rechain(session, last, edit=change_actor("someone.else@example.eu"))
    session.commit()
    result = verify_chain(session)
    assert not result.ok and result.broken_seq == last
    assert "without the audit key" in result.reason


def test_the_last_event_resealed_by_a_key_holder_but_the_head_left_behind_is_named(
    walked, session, backend, audit_key
):
    last, stored_hash, _ = head(session)
    with guards_off(session, backend):
        rechain(session, last, key=audit_key, edit=change_actor("x@example.eu"), move_head=False)
    session.commit()
    assert head(session)[1] == stored_hash  # the event verifies on its own; the head does not
    result = verify_chain(session)
    assert not result.ok and result.broken_seq == last
    assert "head's hash is not that of event" in result.reason


@pytest.mark.parametrize(
    ("forgery", "expected"),
    [
        ("hash", "head's hash is not that of event"),
        ("ahead", "removed from the end"),
        ("behind", "lies beyond the chain head"),
    ],
)
def test_a_forged_chain_head_is_named(walked, session, backend, forgery, expected):
    last, _, _ = head(session)
    with guards_off(session, backend):
        if forgery == "hash":
            set_head(session, last_hash="f" * 64)
        elif forgery == "ahead":
            set_head(session, seq=last + 2)
        else:
            previous = events(session, last - 1)[0]["hash"]
            set_head(session, seq=last - 1, last_hash=previous)
    session.commit()
    result = verify_chain(session)
    assert not result.ok
    assert expected in result.reason
    assert result.broken_seq == {"hash": last, "ahead": last + 1, "behind": last}[forgery]


def test_a_tail_cut_without_winding_the_head_back_is_named(walked, session, backend):
    last = head(session)[0]
    with guards_off(session, backend):
        session.execute(EVENTS.delete().where(EVENTS.c.seq > last - 2))
    session.commit()
    result = verify_chain(session)
    assert not result.ok and result.broken_seq == last - 1
    assert "removed from the end" in result.reason


def test_moving_the_keying_record_past_a_rewrite_is_caught_by_the_sealed_events_before_it(
    walked, session, backend
):
    # The attacker re-chains from event 6 without the key and says keying began there: the
    # events 1-5, still sealed with the key, now contradict the record.
    with guards_off(session, backend):
        rechain(session, MIDDLE, edit=change_actor("someone.else@example.eu"))
        set_head(session, keyed_from=MIDDLE)
    session.commit()
    result = verify_chain(session)
    assert not result.ok and result.broken_seq == 1
    assert "the record was moved" in result.reason


def test_a_keying_record_after_the_chains_end_is_named(walked, session, backend):
    # Everything re-chained without the key, the record pushed past the end.
    last = head(session)[0]
    with guards_off(session, backend):
        rechain(session, 1)
        set_head(session, keyed_from=last + 5)
    session.commit()
    result = verify_chain(session)
    assert not result.ok and result.broken_seq == last + 5
    assert "after the chain's end" in result.reason


def test_verifying_with_another_key_fails_at_the_first_sealed_event(walked, session):
    other = AuditKey("another-audit-key-of-at-least-32-characters")
    result = verify_chain(session, key=other)
    assert not result.ok and result.broken_seq == 1
    assert "sealed with another key" in result.reason


def test_a_key_holder_who_rewrites_the_middle_passes_verify_without_anchors(
    walked, session, backend, audit_key
):
    # The documented limit (docs/security.md): with the key, a consistent rewrite verifies;
    # only an anchor made before it can tell (tests/audit/test_anchors.py).
    with guards_off(session, backend):
        rechain(session, MIDDLE, key=audit_key, edit=change_actor("someone.else@example.eu"))
    session.commit()
    assert verify_chain(session).ok
