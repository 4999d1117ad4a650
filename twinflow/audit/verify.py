"""Verification of the audit chain: every hash recomputed in order, the head and the keying
record checked, and the chain held against the anchors (signed checkpoints kept outside the
database). The first problem found names its event and the reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twinflow.audit.chain import EVENT_FIELDS, EventText, keyed_hash, plain_hash
from twinflow.audit.keys import AuditKey, key_for
from twinflow.audit.models import GENESIS_HASH, AuditEvent, AuditHead
from twinflow.i18n import gettext

if TYPE_CHECKING:
    from twinflow.audit.anchors import Anchor


class Reason(str):
    """Why the chain does not verify: a plain English string wherever it is compared, stored,
    logged or sent as JSON (the CLI and the API keep their English), read in the current
    language when shown: str() and a template's autoescape (__html__) translate it."""

    def __new__(cls, message: str, **variables):
        reason = super().__new__(cls, message % variables if variables else message)
        reason.message, reason.variables = message, variables
        return reason

    def __str__(self) -> str:
        return gettext(self.message, **self.variables)

    def __html__(self) -> str:
        return escape(str(self))


# Marks a reason for translation (the extractor knows N_) and keeps its English.
N_ = Reason


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str | None = None
    # What an anchor of this state records (set when the chain verified).
    last_hash: str = GENESIS_HASH
    keyed_from: int = 1
    key_id: str | None = None
    anchors_matched: int = 0

    def as_dict(self) -> dict:
        out = {"ok": self.ok, "checked": self.checked}
        if not self.ok:
            out.update(broken_seq=self.broken_seq, broken_id=self.broken_id, reason=self.reason)
        return out

    def summary(self) -> str:
        """One line for people: what was checked and how."""
        keyed = self.checked - self.keyed_from + 1
        parts = [f"{self.checked} events checked, chain intact"]
        if self.keyed_from > 1:
            parts.append(
                f"events 1-{min(self.keyed_from - 1, self.checked)} from before keying "
                "(plain SHA-256)"
            )
        parts.append(f"{max(keyed, 0)} sealed with audit key {self.key_id}")
        if self.anchors_matched:
            parts.append(f"{self.anchors_matched} anchor(s) matched")
        return "; ".join(parts)


# What verification reads of each event: its content, its place and its hashes.
CHECKED_COLUMNS = ("id", "seq", *EVENT_FIELDS, "data", "prev_hash", "hash")


def _check_event(
    key: AuditKey, event, expected_seq: int, prev_hash: str, keyed_from: int
) -> str | None:
    if event.seq != expected_seq:
        return N_(
            "event %(seq)s is missing (next stored is %(next)s)", seq=expected_seq, next=event.seq
        )
    if event.prev_hash != prev_hash:
        return N_("prev_hash does not match the hash of the event before it")
    try:
        text = EventText({name: getattr(event, name) for name in (*EVENT_FIELDS, "data")})
    except (ValueError, TypeError):
        return N_("data is not valid JSON")
    if event.seq >= keyed_from:
        if keyed_hash(key, text, prev_hash, event.seq) == event.hash:
            return None
        if plain_hash(text, prev_hash, event.seq) == event.hash:
            return N_(
                "written without the audit key although keying began at event %(seq)s "
                "(forged or re-chained by someone who does not hold the key)",
                seq=keyed_from,
            )
        return N_("hash does not match the event's content (altered, or sealed with another key)")
    if plain_hash(text, prev_hash, event.seq) == event.hash:
        return None
    if keyed_hash(key, text, prev_hash, event.seq) == event.hash:
        return N_(
            "sealed with the audit key, but the keying record says keying began only at "
            "event %(seq)s (the record was moved)",
            seq=keyed_from,
        )
    return N_("hash does not match the event's content (altered)")


def _anchor_problem(key: AuditKey, anchors: list[Anchor]) -> tuple[int, str] | None:
    for anchor in anchors:
        if anchor.key_id != key.key_id:
            return anchor.seq, N_(
                "the anchor on line %(line)s was made with another audit key "
                "(%(theirs)s; this one is %(ours)s)",
                line=anchor.line,
                theirs=anchor.key_id,
                ours=key.key_id,
            )
        if not anchor.signed_by(key):
            return anchor.seq, N_(
                "the anchor on line %(line)s does not carry this audit key's signature "
                "(edited or forged)",
                line=anchor.line,
            )
    starts = {anchor.keyed_from for anchor in anchors}
    if len(starts) > 1:
        return min(starts), N_(
            "the anchors disagree on where keying began (%(starts)s)", starts=sorted(starts)
        )
    return None


def _differs_from_anchor(event, anchors) -> str | None:
    for anchor in anchors:
        if anchor.hash != event.hash:
            return N_(
                "differs from the anchor of %(at)s: the history up to this event was rewritten",
                at=anchor.at,
            )
    return None


def _head(session: Session) -> tuple[int, str, int]:
    found = session.execute(
        select(AuditHead.seq, AuditHead.last_hash, AuditHead.keyed_from).where(AuditHead.id == 1)
    ).one_or_none()
    return tuple(found) if found else (0, GENESIS_HASH, 1)


def verify_chain(
    session: Session,
    *,
    key: AuditKey | None = None,
    anchors: list[Anchor] = (),
    batch: int = 2000,
) -> VerifyResult:
    """Recompute every hash in order: the first mismatch, gap, event written without the key,
    forged head or missing tail is reported; with anchors, also a history that differs from
    an anchor (re-chained) or ends before one (cut, head wound back).

    The head is read first and the chain up to it verified: events are never changed, so
    appends made meanwhile cannot make a verification fail."""
    key = key or key_for(session)
    anchors = sorted(anchors, key=lambda a: a.seq)
    head_seq, head_hash, recorded_from = _head(session)
    # Where keying began: the anchors say it, signed; without them the database's record.
    keyed_from = anchors[0].keyed_from if anchors else recorded_from

    def broken(seq, reason, event_id=None, checked=0) -> VerifyResult:
        return VerifyResult(False, checked, seq, event_id, reason, key_id=key.key_id)

    problem = _anchor_problem(key, anchors)
    if problem:
        return broken(*problem)
    at_seq: dict[int, list] = {}
    for anchor in anchors:
        at_seq.setdefault(anchor.seq, []).append(anchor)

    prev_hash, checked = GENESIS_HASH, 0
    # Plain rows in chunks of `batch` from a server-side cursor (PostgreSQL): memory stays
    # the same for a trail of any length, and no event lands in the session.
    # (Through the Connection: a select sent through the Session is buffered whole.)
    result = session.connection().execute(
        select(*(AuditEvent.__table__.c[name] for name in CHECKED_COLUMNS))
        .where(AuditEvent.seq <= head_seq)
        .order_by(AuditEvent.seq)
        .execution_options(yield_per=batch)
    )
    try:
        for event in result:
            reason = _check_event(key, event, checked + 1, prev_hash, keyed_from)
            reason = reason or _differs_from_anchor(event, at_seq.get(event.seq, ()))
            if reason:
                return broken(event.seq, reason, event.id, checked)
            prev_hash, checked = event.hash, checked + 1
    finally:
        result.close()  # a server-side cursor left open would hold the connection

    if checked < head_seq:
        return broken(
            checked + 1,
            N_(
                "event %(seq)s is missing: the chain ends at event %(last)s but the head "
                "records %(head)s (events removed from the end)",
                seq=checked + 1,
                last=checked,
                head=head_seq,
            ),
            checked=checked,
        )
    if head_hash != prev_hash:
        return broken(
            checked,
            N_(
                "the chain head's hash is not that of event %(seq)s (the last event or the "
                "head was forged)",
                seq=checked,
            ),
            checked=checked,
        )
    beyond = [a for a in anchors if a.seq > checked]
    if beyond:
        return broken(
            checked + 1,
            N_(
                "the chain ends at event %(last)s but the anchor of %(at)s covers event "
                "%(seq)s: events %(first)s-%(seq)s were removed and the head wound back",
                last=checked,
                at=beyond[-1].at,
                seq=beyond[-1].seq,
                first=checked + 1,
            ),
            checked=checked,
        )
    if recorded_from != keyed_from:
        return broken(
            keyed_from,
            N_(
                "the keying record says keying began at event %(recorded)s, the anchors say "
                "%(anchored)s (the record was moved)",
                recorded=recorded_from,
                anchored=keyed_from,
            ),
            checked=checked,
        )
    if keyed_from > checked + 1:
        return broken(
            keyed_from,
            N_(
                "the keying record says keying began at event %(seq)s, after the chain's "
                "end (event %(last)s): the record was moved",
                seq=keyed_from,
                last=checked,
            ),
            checked=checked,
        )
    stray = _events_beyond_head(session, head_seq)
    if stray is not None:
        return broken(
            stray,
            N_(
                "event %(seq)s lies beyond the chain head (event %(head)s): inserted behind "
                "the head's back",
                seq=stray,
                head=head_seq,
            ),
            checked=checked,
        )
    return VerifyResult(
        True,
        checked,
        last_hash=prev_hash,
        keyed_from=keyed_from,
        key_id=key.key_id,
        anchors_matched=len(anchors),  # each one was held against its event above
    )


def _events_beyond_head(session: Session, head_seq: int) -> int | None:
    """The first event after the head read at the start, unless the head has since moved
    over it (an append made while verifying)."""
    first = session.scalar(select(func.min(AuditEvent.seq)).where(AuditEvent.seq > head_seq))
    if first is None or _head(session)[0] >= first:
        return None
    return first
