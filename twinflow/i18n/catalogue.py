"""The translations, read from the `.po` files under twinflow/translations/<language>/.

Each feature may keep its own `.po` file; they are compiled together in memory when first
needed (and again when one changes), so no compiled `.mo` file is kept in the repository to
fall out of step with its source.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("en", "fr")
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

_lock = threading.Lock()
_compiled: dict[str, tuple[tuple, Translations]] = {}


def po_files(language: str) -> list[Path]:
    return sorted((TRANSLATIONS / language).glob("*.po"))


def read_catalogues(language: str):
    """Every `.po` file of `language` as babel catalogues, in file-name order."""
    catalogues = []
    for path in po_files(language):
        with path.open("rb") as handle:
            catalogues.append((path, read_po(handle, locale=language)))
    return catalogues


def translations_for(language: str) -> Translations:
    files = po_files(language)
    stamp = tuple((path.name, path.stat().st_mtime_ns) for path in files)
    cached = _compiled.get(language)
    if cached and cached[0] == stamp:
        return cached[1]
    with _lock:
        merged = None
        for _path, catalogue in read_catalogues(language):
            if merged is None:
                merged = catalogue
                continue
            for message in catalogue:
                if message.id and message.id not in merged:
                    merged[message.id] = message
        buffer = io.BytesIO()
        if merged is not None:
            write_mo(buffer, merged, use_fuzzy=False)
            buffer.seek(0)
            translations = Translations(buffer)
        else:
            translations = Translations()
        _compiled[language] = (stamp, translations)
        return translations
