"""The one function that writes audit events, and the trail's export. (Verification is in
verify.py, importable from here as before.)"""

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import String, bindparam, cast, func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from twinflow.audit.chain import EVENT_FIELDS, EventText, canonical_json, keyed_hash_sql
from twinflow.audit.keys import hmac_pads, key_for
from twinflow.audit.models import GENESIS_HASH, AuditEvent, AuditHead
from twinflow.audit.verify import VerifyResult as VerifyResult  # re-exported for callers
from twinflow.audit.verify import verify_chain as verify_chain
from twinflow.audit.words import WORD_FIELDS

# Every column of an event, in order: what the append writes and the export reads.
EXPORT_FIELDS = ["seq", *EVENT_FIELDS, "data", "prev_hash", "hash"]


def _append_statement():
    """INSERT ... SELECT from the chain head: the next sequence number, the previous hash and
    the new one (HMAC computed by the database under the event's seal) in one statement.
    FOR UPDATE (PostgreSQL) queues concurrent appends on the head row; SQLite's write lock
    does the same. Triggers refuse any insert that is not the head's successor and move the
    head on as the event lands (migrations 0006, 0008)."""
    events, head = AuditEvent.__table__, AuditHead.__table__
    next_seq = head.c.seq + 1
    message = (
        head.c.last_hash
        + bindparam("before_seq", type_=String)
        + cast(next_seq, String)
        + bindparam("after_seq", type_=String)
    )
    values = (
        select(
            next_seq,
            *(bindparam(name, type_=events.c[name].type) for name in EVENT_FIELDS),
            bindparam("data", type_=events.c.data.type),
            head.c.last_hash,
            keyed_hash_sql(message),
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


def _append_along(other, row_write=None):
    """The append with `other` (and `row_write`) as data-modifying CTEs: PostgreSQL runs them
    whether or not the append reads them; the count of rows `row_write` returned comes back
    as a fourth column. Built once per pair of statements (they are built once and kept)."""
    key = (id(other), id(row_write))
    found = _APPEND_ALONG.get(key)
    if found is None:  # the statements are kept beside it, so their ids stay their own
        statement = _APPEND if other is None else _APPEND.add_cte(other.cte("along"))
        if row_write is not None:
            moved = row_write.cte("moved")
            statement = statement.add_cte(moved).returning(
                select(func.count()).select_from(moved).scalar_subquery()
            )
        found = _APPEND_ALONG[key] = (statement, other, row_write)
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
    row_write: tuple | None = None,
) -> dict:
    """Append one event to the chain inside the caller's transaction, in one statement.

    `along`: another INSERT (statement, parameters) of the same transaction, independent of
    the event (a transition's notifications). On PostgreSQL it rides in the append's
    statement as a data-modifying CTE, one round trip fewer; elsewhere it runs just after.
    `row_write`: the moved project's UPDATE (workflow/state_write.py, PostgreSQL only), which
    rides the same way and must find its row.

    The chain head (one row: the last sequence number and hash) makes an append cost the same
    with 100 or 100,000 events stored, and locking it keeps the chain linear under concurrent
    appends. The database computes the HMAC over the same canonical JSON `verify_chain` reads
    in Python, with the sequence number it hands out spliced in. It gets the event's seal,
    never the audit key.
    """
    session.flush()
    actor_id = actor.id if actor is not None else None
    actor_email = actor.email if actor is not None else None
    fields = (now, actor_id, actor_email, action, project_id, trigger, from_state, to_state)
    row = dict(zip(EVENT_FIELDS, fields, strict=True), data=canonical_json(data or {}))
    text = EventText(row)
    seal = key_for(session).seal(text.content)
    params = row | {"before_seq": text.before, "after_seq": text.after}
    statement = _APPEND
    if session.get_bind().dialect.name == "postgresql":
        ipad, opad = hmac_pads(seal)
        params |= {"audit_ipad": ipad, "audit_opad": opad}
        if along is not None or row_write is not None:
            statement = _append_along(along and along[0], row_write and row_write[0])
            params |= (along[1] if along else {}) | (row_write[1] if row_write else {})
            along = None
    else:
        params["audit_seal"] = seal
    # Core statements on the session's connection: the ORM's execute adds nothing for them.
    connection = session.connection()
    found = connection.execute(statement, params).one_or_none()
    if found is None:  # a database created without the migration's head row
        connection.execute(insert(AuditHead).values(id=1, seq=0, last_hash=GENESIS_HASH))
        found = connection.execute(statement, params).one()
    if along is not None:
        connection.execute(*along)
    if row_write is not None and found[3] != 1:
        raise StaleDataError("the project's row was not at the version this move read")
    seq, prev_hash, digest = found[:3]
    return row | {"seq": seq, "prev_hash": prev_hash, "hash": digest}


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


def export_csv(events, out: io.TextIOBase, words=None) -> int:
    """words: an AuditWords (twinflow/audit/words.py) adding references, names and labels
    after the stored columns, which stay first and unchanged for machines."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_FIELDS + (WORD_FIELDS if words else []))
    count = 0
    for event in events:
        row = event_as_dict(event)
        row["data"] = canonical_json(row["data"])
        extra = words.of(event) if words else {}
        writer.writerow([row[name] for name in EXPORT_FIELDS] + [extra[n] for n in extra])
        count += 1
    return count


def export_json(events, out: io.TextIOBase, words=None) -> int:
    """A JSON array written incrementally, so a large trail is never held in memory."""
    out.write("[")
    count = 0
    for event in events:
        row = event_as_dict(event) | (words.of(event) if words else {})
        out.write(("," if count else "") + "\n" + canonical_json(row))
        count += 1
    out.write("\n]\n")
    return count
