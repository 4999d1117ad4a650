"""Anchors: signed checkpoints of the chain (event, hash, time, where keying began) kept outside
the database, in a file of JSON lines and in the administrators' daily digests. A history
rewritten, cut or wound back behind an anchor no longer matches it."""

import hmac
import json
import logging
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from html import escape
from pathlib import Path

from sqlalchemy.orm import Session

from twinflow.audit.chain import canonical_json
from twinflow.audit.keys import AuditKey, key_for
from twinflow.audit.verify import VerifyResult, verify_chain
from twinflow.i18n import gettext

log = logging.getLogger(__name__)

FORMAT = "twinflow-audit-anchor/1"
_FIELDS = ("format", "seq", "hash", "at", "keyed_from", "key_id")


class AnchorFileError(ValueError):
    """A line of an anchor file that is not an anchor; names the line and the reason."""


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str
    keyed_from: int
    key_id: str
    sig: str
    format: str = FORMAT
    line: int | None = None  # where it was read, for messages

    def _signed_text(self) -> str:
        return canonical_json({name: getattr(self, name) for name in _FIELDS})

    def signed_by(self, key: AuditKey) -> bool:
        return hmac.compare_digest(key.sign(self._signed_text()), self.sig)

    def to_line(self) -> str:
        out = asdict(self)
        del out["line"]
        return canonical_json(out)


def sign_anchor(key: AuditKey, *, seq: int, hash: str, at: datetime, keyed_from: int) -> Anchor:
    unsigned = Anchor(seq, hash, at.isoformat(), keyed_from, key.key_id, sig="")
    return Anchor(**{**asdict(unsigned), "sig": key.sign(unsigned._signed_text())})


def parse_anchors(text: str) -> list[Anchor]:
    """Anchors from JSON lines; blank lines and lines starting with # are skipped."""
    anchors = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            found = json.loads(line)
        except ValueError:
            raise AnchorFileError(f"line {number}: not JSON") from None
        if not isinstance(found, dict) or found.get("format") != FORMAT:
            raise AnchorFileError(f"line {number}: not an anchor (format is not {FORMAT})")
        try:
            anchor = Anchor(**{name: found[name] for name in (*_FIELDS, "sig")}, line=number)
        except KeyError as exc:
            raise AnchorFileError(f"line {number}: {exc.args[0]} is missing") from None
        types = (("seq", int), ("keyed_from", int), ("hash", str), ("sig", str), ("at", str))
        for name, kind in types:
            value = getattr(anchor, name)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise AnchorFileError(f"line {number}: {name} must be a {kind.__name__}")
        anchors.append(anchor)
    return anchors


def read_anchor_file(path: str | Path) -> list[Anchor]:
    """The anchors of a file (UTF-8 JSON lines). Raises OSError when it cannot be read and
    AnchorFileError for a line that is not an anchor."""
    return parse_anchors(Path(path).read_text(encoding="utf-8"))


def append_anchor(path: str | Path, anchor: Anchor) -> None:
    """One line appended and flushed to disk: an anchor written is an anchor kept."""
    with open(path, "a", encoding="utf-8") as out:
        out.write(anchor.to_line() + "\n")
        out.flush()
        os.fsync(out.fileno())


def take_anchor(
    session: Session, now: datetime, anchor_file: str | Path | None = None
) -> tuple[VerifyResult, Anchor | None]:
    """Verify the chain (against the anchors already in `anchor_file`, if it exists) and, if
    it holds, sign a checkpoint of its head and append it to the file. A broken chain gets no
    anchor: an anchor vouches for the history before it."""
    key = key_for(session)
    earlier = []
    if anchor_file is not None and Path(anchor_file).exists():
        earlier = read_anchor_file(anchor_file)
    verified = verify_chain(session, key=key, anchors=earlier)
    if not verified.ok:
        return verified, None
    anchor = sign_anchor(
        key,
        seq=verified.checked,
        hash=verified.last_hash,
        at=now,
        keyed_from=verified.keyed_from,
    )
    if anchor_file is not None:
        append_anchor(anchor_file, anchor)
    return verified, anchor


def daily_checkpoint(
    session: Session, now: datetime, anchor_file: str | Path | None = None
) -> Callable[[], tuple[str, str]]:
    """The audit section of an administrator's daily digest: a fresh anchor to keep, or,
    loudly, why there is none. The anchor is taken now, once; the function returned words
    the section (text, html) in the current language, each administrator's own. Never
    raises for a bad anchor file: the digest still goes out and says so."""
    try:
        verified, anchor = take_anchor(session, now, anchor_file)
    except (OSError, AnchorFileError) as exc:
        log.error("no audit anchor made: the anchor file %s is unusable: %s", anchor_file, exc)
        problem = exc  # `exc` itself is unbound once the except block ends
        return lambda: _section(
            gettext("Audit trail checkpoint NOT made"),
            gettext(
                "The anchor file %(file)s could not be used (%(error)s). Run "
                "`twinflow audit verify` and see docs/security.md.",
                file=anchor_file,
                error=problem,
            ),
        )
    if anchor is None:
        log.error("no audit anchor made: broken at %s: %s", verified.broken_seq, verified.reason)
        return lambda: _section(
            gettext("AUDIT TRAIL BROKEN at event %(seq)s", seq=verified.broken_seq),
            gettext(
                "%(reason)s. No checkpoint was made. Run `twinflow audit verify` and see "
                "docs/security.md.",
                reason=verified.reason,
            ),
        )
    return lambda: _section(
        gettext("Audit trail checkpoint"),
        gettext(
            "The trail verified up to event %(seq)s. Keep this line where the database's "
            "administrators cannot write (a file, your mail archive): `twinflow audit verify "
            "--anchors FILE` checks that the trail still matches it.",
            seq=anchor.seq,
        ),
        anchor.to_line(),
    )


def _section(title: str, words: str, line: str | None = None) -> tuple[str, str]:
    text = f"{title}\n{words}\n" + (f"{line}\n" if line else "")
    html = f"<h3>{escape(title)}</h3><p>{escape(words)}</p>"
    if line:
        html += f"<pre style='white-space: pre-wrap'>{escape(line)}</pre>"
    return text, html
