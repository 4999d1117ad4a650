"""The languages of the pages: English (the source) and French, one catalogue for all adapters.

Plain Python, free of Flask, so the engine's own messages (refusals, guards) are translated
with the same catalogue as the templates. An adapter says which language the current request
speaks with `speaking(locale)` (the web does it for each request from the user's choice or the
browser's preference); outside of one, everything reads in English, as the API answers.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from babel.support import LazyProxy, NullTranslations

from twinflow.i18n.catalogue import LANGUAGES, translations_for

__all__ = [
    "LANGUAGES",
    "current_language",
    "current_translations",
    "gettext",
    "lazy_gettext",
    "ngettext",
    "speaking",
]

DEFAULT_LANGUAGE = "en"
_NULL = NullTranslations()
# The language spoken now and its catalogue, looked up once when the language is chosen (a
# request, a `speaking()` block), not at every text: a page says hundreds of them.
_speaker: ContextVar[tuple[str, NullTranslations]] = ContextVar(
    "twinflow_language", default=(DEFAULT_LANGUAGE, _NULL)
)


def current_language() -> str:
    return _speaker.get()[0]


def current_translations() -> NullTranslations:
    """The catalogue of the language spoken now (the templates' `_()` reads it directly)."""
    return _speaker.get()[1]


def _speaker_for(language: str | None) -> tuple[str, NullTranslations]:
    if language not in LANGUAGES or language == DEFAULT_LANGUAGE:
        return DEFAULT_LANGUAGE, _NULL
    return language, translations_for(language)


def gettext(message: str, **variables) -> str:
    """`message` in the current language; `%(name)s` placeholders filled from `variables`."""
    text = _speaker.get()[1].ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    text = _speaker.get()[1].ungettext(singular, plural, num)
    return text % variables


def lazy_gettext(message: str, **variables) -> LazyProxy:
    """For texts defined at import time (labels, form fields): read when shown, in the language
    of the request that shows them."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


@contextmanager
def speaking(language: str | None):
    """Everything translated inside reads in `language` (English when it is not offered)."""
    token = _speaker.set(_speaker_for(language))
    try:
        yield
    finally:
        _speaker.reset(token)


def set_language(language: str | None):
    """For adapters that cannot wrap a block (a request's before/teardown hooks): returns the
    token to give back to `reset_language`."""
    return _speaker.set(_speaker_for(language))


def reset_language(token) -> None:
    _speaker.reset(token)
