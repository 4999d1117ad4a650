"""How an event's data reads in the audit log: words, not Python literals, and long values
that can wrap so the table fits its card."""

import json
import re

from markupsafe import Markup, escape

from twinflow.i18n import gettext

# Shown elsewhere in the row, or noise to a reader of the log.
HIDDEN_KEYS = ("workflow_version", "title")
# A word longer than LONGEST (a hash, a file name) may break after its separators and at
# least every RUN characters; shorter words, most e-mail addresses among them, stay whole.
LONGEST = 24
RUN = 16
_PIECES = re.compile(r"[^_.@/\-]*[_.@/\-]?")


def load_data(event) -> dict:
    """The event's data, parsed (an empty dict for anything but a JSON object)."""
    try:
        data = json.loads(event.data or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def readable(value) -> str:
    """['coordinator', 'beneficiary'] -> "coordinator, beneficiary";
    {"from": None, "to": "6.00"} -> "∅ → 6.00"; other mappings as "key: value; ..."."""
    if isinstance(value, dict):
        if set(value) == {"from", "to"}:
            return f"{readable(value['from'])} → {readable(value['to'])}"
        return "; ".join(f"{key}: {readable(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(readable(item) for item in value)
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)


def breakable(text: str | None, longest: int = LONGEST) -> Markup:
    """The text escaped, with <wbr> in each word longer than `longest`: after its separators
    and inside runs longer than RUN."""
    out = []
    for word in re.split(r"(\s+)", text or ""):
        if len(word) <= longest:
            out.append(escape(word))
            continue
        chunks = []
        for piece in _PIECES.findall(word):
            chunks += [piece[i : i + RUN] for i in range(0, len(piece), RUN)]
        out.append(Markup("<wbr>").join(escape(c) for c in chunks if c))
    return Markup("").join(out)


def details(data: dict) -> list[tuple[str, Markup]]:
    """(key, value ready for the page) for each piece of data worth showing."""
    return [
        (key, breakable(readable(value)))
        for key, value in data.items()
        if key not in HIDDEN_KEYS and value not in (None, "", {}, [])
    ]
