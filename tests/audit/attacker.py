"""What the owner of the database can do behind the application's back: the tests' attacker.
Everything here is plain SQL on the tables (no application code writes the forgeries), with
hashes computed the way the attacker would: plain SHA-256, or the HMAC when the attacker also
holds the audit key."""

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import insert, select, text, update

from twinflow.audit.chain import hash_event
from twinflow.audit.models import GENESIS_HASH, AuditEvent, AuditHead

EVENTS, HEAD = AuditEvent.__table__, AuditHead.__table__


@contextmanager
def guards_off(session, backend: str):
    """Every trigger of the audit tables off while the block runs, then back on, as an owner
    covering their tracks: PostgreSQL's owner disables them, SQLite's owner (whoever can write
    the file) drops and re-creates them."""
    tables = ("audit_events", "audit_head")
    if backend == "postgresql":
        for table in tables:
            session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER ALL"))
        yield
        for table in tables:
            session.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER ALL"))
        return
    saved = session.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name IN ('audit_events', 'audit_head')"
        )
    ).all()
    assert saved, "no triggers to remove: the migrations did not run?"
    for name, _sql in saved:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _name, sql in saved:
        session.execute(text(sql))


def head(session) -> tuple[int, str, int]:
    return tuple(session.execute(select(HEAD.c.seq, HEAD.c.last_hash, HEAD.c.keyed_from)).one())


def set_head(session, **values) -> None:
    session.execute(update(HEAD).where(HEAD.c.id == 1).values(**values))


def events(session, from_seq: int = 1) -> list[dict]:
    rows = session.execute(select(EVENTS).where(EVENTS.c.seq >= from_seq).order_by(EVENTS.c.seq))
    return [dict(row._mapping) for row in rows]


def rechain(session, from_seq: int, *, key=None, edit=None, move_head: bool = True) -> None:
    """Apply `edit(row)` to the event at `from_seq`, then recompute every hash from there to
    the end (plain SHA-256, or HMAC under `key`), write them back and move the head along."""
    prev = GENESIS_HASH
    if from_seq > 1:
        prev = session.scalar(select(EVENTS.c.hash).where(EVENTS.c.seq == from_seq - 1))
    for row in events(session, from_seq):
        if edit is not None and row["seq"] == from_seq:
            edit(row)
        row["prev_hash"], row["hash"] = prev, hash_event(row, prev, key)
        changed = {k: v for k, v in row.items() if k != "id"}
        session.execute(update(EVENTS).where(EVENTS.c.id == row["id"]).values(**changed))
        prev = row["hash"]
    if move_head:
        set_head(session, last_hash=prev)


def cut_tail(session, count: int) -> int:
    """Delete the last `count` events and wind the head back onto the one before them;
    returns the new last seq."""
    last = head(session)[0] - count
    session.execute(EVENTS.delete().where(EVENTS.c.seq > last))
    kept = session.scalar(select(EVENTS.c.hash).where(EVENTS.c.seq == last))
    set_head(session, seq=last, last_hash=kept)
    return last


def forge_successor(session, *, key=None, actor_email="auditor@example.eu") -> int:
    """Insert an invented event exactly where the next one goes, its hash computed; the
    triggers stay on (it is the head's successor, they have no key to check its hash)."""
    seq, prev, _ = head(session)
    last = session.execute(select(EVENTS).where(EVENTS.c.seq == seq)).one()._mapping
    row = dict(
        seq=seq + 1,
        occurred_at=last["occurred_at"] + timedelta(minutes=1),
        actor_id=None,
        actor_email=actor_email,
        action="transition",
        project_id=last["project_id"],
        trigger="approve_final_report",
        from_state="implementation",
        to_state="closed",
        data="{}",
        prev_hash=prev,
    )
    row["hash"] = hash_event(row, prev, key)
    session.execute(insert(EVENTS).values(**row))
    return seq + 1


def change_actor(email: str):
    def edit(row):
        row["actor_id"], row["actor_email"] = None, email

    return edit
