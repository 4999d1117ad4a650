"""Dates, times, amounts and numbers as the current language writes them.

Plain Python, free of Flask like the rest of twinflow.i18n: the language is the one `speaking()`
(or a web request) set. English keeps the app's own fixed forms, written here exactly as
before ("01 Dec 2026", "01 Dec 2026 14:05 UTC", "EUR 1,200,000", "Sep 2017"): pages, e-mails
and tests read them, and the API (always English) sends them. Every other language takes its
forms from Babel's CLDR data: "01 déc. 2026", "01 déc. 2026 14:05 UTC", "1 200 000 €",
"sept. 2017". Times stay on the 24-hour clock in UTC in every language.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal as _babel_decimal

from twinflow.i18n import DEFAULT_LANGUAGE, current_language, gettext

EMPTY = "—"


def _foreign() -> str | None:
    """The current language when it is not English (None for English)."""
    language = current_language()
    return None if language == DEFAULT_LANGUAGE else language


def date_text(value: date | datetime | None, empty: str = EMPTY) -> str:
    """ "01 Dec 2026" / "01 déc. 2026"."""
    if not value:
        return empty
    language = _foreign()
    if language is None:
        return f"{value:%d %b %Y}"
    return _babel_date(value, "dd MMM yyyy", locale=language)


def datetime_text(value: datetime | None, empty: str = EMPTY) -> str:
    """ "01 Dec 2026 14:05 UTC" / "01 déc. 2026 14:05 UTC": the stored (UTC) wall time."""
    if not value:
        return empty
    language = _foreign()
    if language is None:
        return f"{value:%d %b %Y %H:%M} UTC"
    # The value's own wall time (the app stores UTC): Babel would otherwise convert it.
    shown = _babel_datetime(value, "dd MMM yyyy HH:mm", tzinfo=value.tzinfo or UTC, locale=language)
    return f"{shown} UTC"


def money_text(value, empty: str = EMPTY) -> str:
    """Whole euros: "EUR 1,200,000" / "1 200 000 €" (the locale's own currency pattern, its
    cents dropped as the English form drops them)."""
    if value is None:
        return empty
    language = _foreign()
    if language is None:
        return f"EUR {Decimal(value):,.0f}"
    return _whole_currency(language).apply(
        Decimal(value), Locale.parse(language), currency="EUR", currency_digits=False
    )


@cache
def _whole_currency(language: str):
    pattern = copy.copy(Locale.parse(language).currency_formats["standard"])
    pattern.frac_prec = (0, 0)
    return pattern


def number_text(value, empty: str = EMPTY) -> str:
    """A count or a measure as the language writes it: as before in English ("1234.5"), else
    e.g. "1 234,5"."""
    if value is None:
        return empty
    language = _foreign()
    if language is None or isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    return _babel_decimal(value, locale=language, decimal_quantization=False)


def partial_text(day: date, precision: str | None) -> str | None:
    """A date known to its year, quarter, month or day in the current language: None for
    English, whose forms ("2017", "Q3 2017", "Sep 2017", "4 Sep 2017") twinflow.partial_dates
    writes itself; else e.g. "T3 2017", "sept. 2017", "4 sept. 2017"."""
    language = _foreign()
    if language is None:
        return None
    pattern = {"year": "yyyy", "quarter": "QQQ yyyy", "month": "MMM yyyy"}.get(
        precision or "", "d MMM yyyy"
    )
    return _babel_date(day, pattern, locale=language)


def _folded(texts, pair) -> str:
    texts = list(texts)
    out = texts[0] if texts else ""
    for text in texts[1:]:
        out = pair(out, text)
    return out


def all_of(texts) -> str:
    """ "a and b" (and so on) in the current language, one translated pair at a time."""
    return _folded(texts, lambda one, other: gettext("%(one)s and %(other)s", one=one, other=other))


def any_of(texts) -> str:
    """ "a or b" (or so on) in the current language, one translated pair at a time."""
    return _folded(texts, lambda one, other: gettext("%(one)s or %(other)s", one=one, other=other))
