"""The one rule for text from outside, shared by the API, the web forms, the CLI and the engine:
which control characters a value may hold, and how a stored value is made safe for a header.

Control characters are invisible on a page, split e-mail headers, CSV cells and log lines, and
PostgreSQL refuses NUL outright. A single-line value (a title, a name, a filter) may hold TAB
and nothing else of C0 (U+0000-U+001F), DEL and C1 (U+007F-U+009F), nor the Unicode line and
paragraph separators (Python splits header lines at them too). A multi-line value (a comment,
a summary) may also hold CR and LF. A lone surrogate is no text at all (UTF-8 cannot hold it).
"""

import re

_SINGLE_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# A run of controls and line breaks (TAB included) with the spaces around it: what a header
# line may not keep.
_ANY_BREAK = re.compile(" *[\x00-\x1f\x7f-\x9f\u2028\u2029][\x00-\x20\x7f-\x9f\u2028\u2029]*")

_NAMES = {
    "\x00": "NUL",
    "\t": "tab",
    "\n": "line feed",
    "\r": "carriage return",
    "\x1b": "escape",
    "\x7f": "delete",
    "\x85": "next line",
    "\u2028": "line separator",
    "\u2029": "paragraph separator",
}

SINGLE_LINE_RULE = "must be one line without control characters"
MULTI_LINE_RULE = "must not contain control characters other than line breaks and tabs"


def describe(char: str) -> str:
    """'line feed (U+000A)': how a refusal names the character it found."""
    code = f"U+{ord(char):04X}"
    name = _NAMES.get(char)
    return f"{name} ({code})" if name else code


def control_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why `text` is refused, naming the first offending character and where it is; None
    when it is acceptable."""
    if _SURROGATE.search(text):
        return "is not valid Unicode text"
    found = (_MULTI_LINE if multiline else _SINGLE_LINE).search(text)
    if found is None:
        return None
    rule = MULTI_LINE_RULE if multiline else SINGLE_LINE_RULE
    return f"{rule}: found {describe(found.group())} at character {found.start() + 1}"


def one_line(text: str) -> str:
    """A value made safe for one header line: every run of controls and line breaks becomes
    one space, so a stored title can never add or split a header."""
    return _ANY_BREAK.sub(" ", text).strip(" ")


def shown(text: str) -> str:
    """`text` fit to be shown back (a query parameter's name on an error page): each control
    character written as its code point, e.g. "q[U+0000]"."""
    return _UNSHOWABLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
