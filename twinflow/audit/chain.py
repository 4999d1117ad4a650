"""How an audit event is hashed into the chain, in Python and inside the database.

Every event hashes one message: the previous event's hash followed by the event's canonical
JSON. Events written before keying began (`audit_head.keyed_from`) hash it with plain SHA-256;
from then on with HMAC-SHA256 under the event's seal, a key derived from the audit key and the
event's content (`AuditKey.seal`), so nobody without the audit key can write, alter or
re-chain an event that verifies.
"""

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import LargeBinary, String, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from twinflow.audit.keys import AuditKey, hmac_hex

# The columns an event's hash covers besides its sequence number, in the payload's order.
EVENT_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_email",
    "action",
    "project_id",
    "trigger",
    "from_state",
    "to_state",
)
# Between the payload's "seq" and the keys after it: canonical JSON sorts the keys, and only
# plain strings follow, so the last occurrence is the top-level one.
_SEQ_SLOT = '"seq":0,"to_state":'


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256_hex(value: str) -> str:
    """The hex SHA-256 of a text's UTF-8 bytes: the hash of events from before keying."""
    return hashlib.sha256(value.encode()).hexdigest()


def _payload(seq: int, occurred_at: datetime, *rest, data_text: str) -> dict:
    payload = dict(zip(EVENT_FIELDS, (occurred_at.isoformat(), *rest), strict=True))
    return payload | {"seq": seq, "data": json.loads(data_text)}


class EventText:
    """An event's canonical JSON, cut around its sequence number: the database splices in
    the number it hands out; `content` (the JSON with seq 0) is what the seal covers."""

    __slots__ = ("content", "before", "after")

    def __init__(self, values: Mapping):
        """values: the event's EVENT_FIELDS and `data` (its stored JSON text). Raises
        ValueError when the data is not JSON."""
        fields = (values[name] for name in EVENT_FIELDS)
        self.content = canonical_json(_payload(0, *fields, data_text=values["data"]))
        before, slot, after = self.content.rpartition(_SEQ_SLOT)
        assert slot, "the payload's keys changed: update _SEQ_SLOT"
        self.before, self.after = before + '"seq":', ',"to_state":' + after

    def message(self, prev_hash: str, seq: int) -> str:
        return f"{prev_hash}{self.before}{seq}{self.after}"


def plain_hash(text: EventText, prev_hash: str, seq: int) -> str:
    return sha256_hex(text.message(prev_hash, seq))


def keyed_hash(key: AuditKey, text: EventText, prev_hash: str, seq: int) -> str:
    return hmac_hex(key.seal(text.content), text.message(prev_hash, seq))


def hash_event(values: Mapping, prev_hash: str, key: AuditKey | None = None) -> str:
    """The hash an event with these column values gets at values["seq"]: keyed with `key`,
    plain without (tests and the benchmark build chains with it)."""
    text = EventText(values)
    if key is None:
        return plain_hash(text, prev_hash, values["seq"])
    return keyed_hash(key, text, prev_hash, values["seq"])


class keyed_hash_sql(FunctionElement):
    """`keyed_hash` computed by the database over `message`, the seal passed as parameters:
    PostgreSQL has sha256() but no hmac() without pgcrypto, so it gets the seal's two padded
    keys (`audit_ipad`, `audit_opad`); SQLite gets the seal (`audit_seal`) and a function
    registered on each connection."""

    type = String()
    inherit_cache = True

    def __init__(self, message):
        super().__init__(
            message,
            bindparam("audit_seal", type_=LargeBinary),
            bindparam("audit_ipad", type_=LargeBinary),
            bindparam("audit_opad", type_=LargeBinary),
        )


@compiles(keyed_hash_sql, "postgresql")
def _keyed_hash_postgresql(element, compiler, **kw):
    # Only the parameters a dialect renders become parameters of the statement.
    message, _seal, ipad, opad = element.clauses
    message, ipad, opad = (compiler.process(c, **kw) for c in (message, ipad, opad))
    inner = f"sha256({ipad} || convert_to({message}, 'UTF8'))"
    return f"encode(sha256({opad} || {inner}), 'hex')"


@compiles(keyed_hash_sql, "sqlite")
def _keyed_hash_sqlite(element, compiler, **kw):
    message, seal, _ipad, _opad = element.clauses
    message, seal = (compiler.process(c, **kw) for c in (message, seal))
    return f"twinflow_hmac({seal}, {message})"
