"""The translations, read from the `.po` files under twinflow/translations/<language>/.

Each feature may keep its own `.po` file; they are compiled together in memory when first
needed in a process, so no compiled `.mo` file is kept in the repository to
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
_compiled: dict[str, Translations] = {}


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
    """Compiled once per process: every translated text of every page calls this, so it must
    not touch the disk (a changed `.po` file is read by the next process)."""
    cached = _compiled.get(language)
    if cached is not None:
        return cached
    with _lock:
        if language in _compiled:
            return _compiled[language]
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
        _compiled[language] = translations
        return translations
