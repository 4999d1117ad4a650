"""Which texts of the app have no translation yet.

    python -m twinflow.i18n.check [--language fr] [path-prefix ...]

prints each untranslated text with where it is used (only under the given path prefixes,
e.g. twinflow/projects). tests/i18n fails on the same list, so a new text without its French
is caught before it ships.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from twinflow.i18n.catalogue import read_catalogues

ROOT = Path(__file__).resolve().parent.parent.parent
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
METHODS = [
    ("twinflow/**/templates/**.html", "jinja2.ext:babel_extract"),
    ("twinflow/**.py", "python"),
]
OPTIONS = {"twinflow/**/templates/**.html": {"trimmed": "true"}}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


@dataclass
class Text:
    msgid: str | tuple[str, str]
    places: list[str] = field(default_factory=list)


def extracted() -> dict[str | tuple[str, str], Text]:
    """Every text marked for translation in the app, with where it is used."""
    texts: dict = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, METHODS, OPTIONS, KEYWORDS, strip_comment_tags=True
    ):
        if not filename.startswith("twinflow/"):
            continue
        if isinstance(message, tuple):
            message = tuple(part for part in message if part)
            if len(message) == 1:
                message = message[0]
        if not message:
            continue
        texts.setdefault(message, Text(message)).places.append(f"{filename}:{lineno}")
    return texts


def translations(language: str) -> dict[str, object]:
    """msgid (the singular for plurals) -> the translation(s) given in the `.po` files."""
    found: dict[str, object] = {}
    for _path, catalogue in read_catalogues(language):
        for message in catalogue:
            if not message.id or message.fuzzy:
                continue
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if all(strings):
                found.setdefault(key, message.string)
    return found


def untranslated(language: str = "fr", prefixes: tuple[str, ...] = ()) -> list[Text]:
    given = translations(language)
    missing = []
    for key, text in extracted().items():
        singular = key[0] if isinstance(key, tuple) else key
        if singular in given:
            continue
        if prefixes and not any(p.startswith(prefixes) for p in text.places):
            continue
        missing.append(text)
    return missing


def placeholder_mismatches(language: str = "fr") -> list[tuple[str, object]]:
    """Translations whose %(name)s / {name} placeholders differ from the English text's."""
    wrong = []
    for _path, catalogue in read_catalogues(language):
        for message in catalogue:
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            wanted = set(PLACEHOLDER.findall(ids[-1]))
            needed = set(PLACEHOLDER.findall(ids[0])) - {("num", "")}
            for string in strings:
                given = set(PLACEHOLDER.findall(string or ""))
                # A translation may drop %(num)d (French: "un projet") but invent nothing.
                if string and (given - wanted or needed - given):
                    wrong.append((ids[0], string))
    return wrong


def conflicting_translations(language: str = "fr") -> dict[str, set]:
    """Texts translated one way in one `.po` file and another way in another: the catalogue
    would keep the first silently, so the same English would not always read the same."""
    seen: dict[str, set] = {}
    for _path, catalogue in read_catalogues(language):
        for message in catalogue:
            if message.id and message.string:
                key = message.id[0] if isinstance(message.id, tuple) else message.id
                seen.setdefault(key, set()).add(message.string)
    return {key: strings for key, strings in seen.items() if len(strings) > 1}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="fr")
    parser.add_argument("prefixes", nargs="*", help="only texts used under these paths")
    args = parser.parse_args(argv)
    missing = untranslated(args.language, tuple(args.prefixes))
    for text in missing:
        print(f"{text.msgid!r}  ({', '.join(text.places[:3])})")
    print(f"{len(missing)} text(s) without a translation into {args.language}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
