"""What changed between two revisions, section by section, word by word (difflib). The pieces
are plain text; the template marks them up, so every word is escaped like any other."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from twinflow.fiche.forms import outline
from twinflow.fiche.operations import PARTICULARS
from twinflow.fiche.sections import template
from twinflow.i18n import gettext as _

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class SectionDiff:
    title: str
    pieces: list[tuple[str, str]]  # ("same" | "added" | "removed", text)

    @property
    def changed(self) -> bool:
        return any(kind != "same" for kind, _ in self.pieces)


def _as_text(section, value) -> str:
    return outline(value) if section.kind == "components" else (value or "")


def words_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Runs of removed and added words. One word (or a space) left standing between two
    changes joins them, so a rewritten phrase reads as one deletion and one insertion, not
    word by word."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    pieces: list[tuple[str, str]] = []
    removed: list[str] = []
    added: list[str] = []

    def flush():
        if removed:
            pieces.append(("removed", "".join(removed)))
        if added:
            pieces.append(("added", "".join(added)))
        removed.clear()
        added.clear()

    for index, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            same = "".join(a[i1:i2])
            between = 0 < index < len(ops) - 1
            if not (between and len(same.split()) <= 1):
                flush()
                pieces.append(("same", same))
                continue
            removed.append(same)
            added.append(same)
            continue
        removed.extend(a[i1:i2])
        added.extend(b[j1:j2])
    flush()
    return pieces


def revision_diff(old, new) -> list[SectionDiff]:
    """Every section of the template (and the particulars), old revision against new."""
    lines = [
        "\n".join(f"{k.replace('_', ' ')}: {r.particulars.get(k, '')}" for k in PARTICULARS)
        for r in (old, new)
    ]
    out = [SectionDiff(_("Particulars"), words_diff(*lines))]
    for s in template().sections:
        before = _as_text(s, old.sections.get(s.key))
        after = _as_text(s, new.sections.get(s.key))
        out.append(SectionDiff(s.title, words_diff(before, after)))
    return out
