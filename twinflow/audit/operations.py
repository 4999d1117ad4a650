"""The one function that writes audit events, and the chain's verification and export."""

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, bindparam, cast, insert, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FunctionElement

from twinflow.audit.models import GENESIS_HASH, AuditEvent, AuditHead


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256_hex(value: str) -> str:
    """The hex SHA-256 of a text's UTF-8 bytes (also registered on SQLite connections)."""
    return hashlib.sha256(value.encode()).hexdigest()


def event_hash(prev_hash: str, payload: dict) -> str:
    return sha256_hex(prev_hash + canonical_json(payload))


def _payload(
    seq,
    occurred_at,
    actor_id,
    actor_email,
    action,
    project_id,
    trigger,
    from_state,
    to_state,
    data_text,
) -> dict:
    return {
        "seq": seq,
        "occurred_at": occurred_at.isoformat(),
        "actor_id": actor_id,
        "actor_email": actor_email,
        "action": action,
        "project_id": project_id,
        "trigger": trigger,
        "from_state": from_state,
        "to_state": to_state,
        "data": json.loads(data_text),
    }


class _sha256_hex(FunctionElement):
    """`sha256_hex` computed by the database."""

    type = String()
    inherit_cache = True


@compiles(_sha256_hex, "postgresql")
def _sha256_hex_postgresql(element, compiler, **kw):
    return f"encode(sha256(convert_to({compiler.process(element.clauses, **kw)}, 'UTF8')), 'hex')"


@compiles(_sha256_hex, "sqlite")
def _sha256_hex_sqlite(element, compiler, **kw):  # registered on each connection
    return f"twinflow_sha256({compiler.process(element.clauses, **kw)})"


_EVENT_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_email",
    "action",
    "project_id",
    "trigger",
    "from_state",
    "to_state",
)
# Every column of an event, in order: what the append writes and the export reads.
EXPORT_FIELDS = ["seq", *_EVENT_FIELDS, "data", "prev_hash", "hash"]
# Between the payload's "seq" and the keys after it: canonical JSON sorts the keys, and only
# plain strings follow, so the last occurrence is the top-level one.
_SEQ_SLOT = '"seq":0,"to_state":'


def _append_statement():
    """INSERT ... SELECT from the chain head: the next sequence number, the previous hash and
    the new one (hashed by the database) in one statement. FOR UPDATE (PostgreSQL) queues
    concurrent appends on the head row; SQLite's write lock does the same. The insert's
    trigger moves the head on (migration 0006)."""
    events, head = AuditEvent.__table__, AuditHead.__table__
    next_seq = head.c.seq + 1
    hashed = (
        head.c.last_hash
        + bindparam("before_seq", type_=String)
        + cast(next_seq, String)
        + bindparam("after_seq", type_=String)
    )
    values = (
        select(
            next_seq,
            *(bindparam(name, type_=events.c[name].type) for name in _EVENT_FIELDS),
            bindparam("data", type_=events.c.data.type),
            head.c.last_hash,
            _sha256_hex(hashed),
        )
        .where(head.c.id == 1)
        .with_for_update()
    )
    return (
        insert(events)
        .from_select(EXPORT_FIELDS, values)
        .returning(events.c.seq, events.c.prev_hash, events.c.hash)
    )


_APPEND = _append_statement()  # built once: this runs in every transition
_APPEND_ALONG: dict = {}


def _append_along(other):
    """The append with `other` as a data-modifying CTE: PostgreSQL runs it whether or not the
    append reads it. Built once per statement `other` (they are built once and kept)."""
    found = _APPEND_ALONG.get(id(other))
    if found is None:  # `other` is kept beside it, so its id stays its own
        found = _APPEND_ALONG[id(other)] = (_APPEND.add_cte(other.cte("along")), other)
    return found[0]


def append_event(
    session: Session,
    *,
    action: str,
    now: datetime,
    actor=None,
    project_id: int | None = None,
    trigger: str | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    data: dict | None = None,
    along: tuple | None = None,
) -> dict:
    """Append one event to the chain inside the caller's transaction, in one statement.

    `along`: another INSERT (statement, parameters) of the same transaction, independent of
    the event (a transition's notifications). On PostgreSQL it rides in the append's
    statement as a data-modifying CTE, one round trip fewer; elsewhere it runs just after.

    The chain head (one row: the last sequence number and hash) makes an append cost the same
    with 100 or 100,000 events stored, and locking it keeps the chain linear under concurrent
    appends. The database computes the hash over the same canonical JSON `verify_chain` reads
    in Python, with the sequence number it hands out spliced in.
    """
    session.flush()
    data_text = canonical_json(data or {})
    actor_id = actor.id if actor is not None else None
    actor_email = actor.email if actor is not None else None
    fields = (now, actor_id, actor_email, action, project_id, trigger, from_state, to_state)
    before, slot, after = canonical_json(_payload(0, *fields, data_text)).rpartition(_SEQ_SLOT)
    assert slot, "the payload's keys changed: update _SEQ_SLOT"
    row = dict(zip(_EVENT_FIELDS, fields, strict=True), data=data_text)
    splice = {"before_seq": before + '"seq":', "after_seq": ',"to_state":' + after}
    statement, params = _APPEND, row | splice
    if along is not None and session.get_bind().dialect.name == "postgresql":
        statement, params = _append_along(along[0]), params | along[1]
        along = None
    found = session.execute(statement, params).one_or_none()
    if found is None:  # a database created without the migration's head row
        session.execute(insert(AuditHead).values(id=1, seq=0, last_hash=GENESIS_HASH))
        found = session.execute(statement, params).one()
    if along is not None:
        session.execute(*along)
    seq, prev_hash, digest = found
    return row | {"seq": seq, "prev_hash": prev_hash, "hash": digest}


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str | None = None

    def as_dict(self) -> dict:
        out = {"ok": self.ok, "checked": self.checked}
        if not self.ok:
            out.update(broken_seq=self.broken_seq, broken_id=self.broken_id, reason=self.reason)
        return out


def _check_event(event: AuditEvent, expected_seq: int, prev_hash: str) -> str | None:
    if event.seq != expected_seq:
        return f"event {expected_seq} is missing (next stored is {event.seq})"
    if event.prev_hash != prev_hash:
        return "prev_hash does not match the hash of the event before it"
    try:
        payload = _payload(
            event.seq,
            event.occurred_at,
            event.actor_id,
            event.actor_email,
            event.action,
            event.project_id,
            event.trigger,
            event.from_state,
            event.to_state,
            event.data,
        )
    except (ValueError, TypeError):
        return "data is not valid JSON"
    if event_hash(prev_hash, payload) != event.hash:
        return "hash does not match the event's content (altered)"
    return None


def verify_chain(session: Session, batch: int = 2000) -> VerifyResult:
    """Recompute every hash in order; the first mismatch, gap or missing tail is reported."""
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    result = session.execute(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    )
    try:
        for event in result.scalars():
            broken = _check_event(event, expected_seq, prev_hash)
            if broken:
                return VerifyResult(False, checked, event.seq, event.id, broken)
            prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    finally:
        result.close()  # a server-side cursor left open would hold the connection
    head = session.get(AuditHead, 1)
    head_seq, head_hash = (head.seq, head.last_hash) if head else (0, GENESIS_HASH)
    if head_seq != checked or head_hash != prev_hash:
        return VerifyResult(
            False,
            checked,
            head_seq,
            None,
            f"the chain ends at event {checked} but {head_seq} were recorded "
            "(events removed from the end)",
        )
    return VerifyResult(True, checked)


def event_as_dict(event: AuditEvent) -> dict:
    out = {name: getattr(event, name) for name in EXPORT_FIELDS}
    out["occurred_at"] = event.occurred_at.isoformat()
    out["data"] = json.loads(event.data)
    out["id"] = event.id
    return out


def iter_events(session: Session, query=None, batch: int = 2000) -> Iterator[AuditEvent]:
    query = query if query is not None else select(AuditEvent)
    result = session.execute(query.order_by(AuditEvent.seq).execution_options(yield_per=batch))
    try:
        yield from result.scalars()
    finally:
        result.close()


def export_csv(events, out: io.TextIOBase) -> int:
    writer = csv.writer(out)
    writer.writerow(EXPORT_FIELDS)
    count = 0
    for event in events:
        row = event_as_dict(event)
        row["data"] = canonical_json(row["data"])
        writer.writerow([row[name] for name in EXPORT_FIELDS])
        count += 1
    return count


def export_json(events, out: io.TextIOBase) -> int:
    """A JSON array written incrementally, so a large trail is never held in memory."""
    out.write("[")
    count = 0
    for event in events:
        out.write(("," if count else "") + "\n" + canonical_json(event_as_dict(event)))
        count += 1
    out.write("\n]\n")
    return count
