"""Dates known to a year, a quarter, a month or a day, as sources state them.

Stored as the first day of the period and its precision (projects.start_on/start_precision);
written as "2017", "2017-Q3", "2017-09" or "2017-09-04"; shown as "2017", "Q3 2017",
"Sep 2017" or "4 Sep 2017" by `format_partial`, the one function pages and the API use.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from twinflow.i18n.formats import partial_text

PRECISIONS = ("year", "quarter", "month", "day")
FORMS = "YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"
# The years a stored date may have (the API and the forms keep to the same range).
YEARS = (1950, 2100)

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class PartialDate:
    first: date  # the first day of the period
    precision: str

    @property
    def last(self) -> date:
        """The last day of the period."""
        year, month = self.first.year, self.first.month
        if self.precision == "year":
            return date(year, 12, 31)
        if self.precision == "quarter":
            month += 2
        elif self.precision == "day":
            return self.first
        return date(year, month, calendar.monthrange(year, month)[1])

    @property
    def text(self) -> str:
        """The written form, e.g. "2017-Q3": what the API sends and an import file holds."""
        return written(self.first, self.precision)

    def __str__(self) -> str:
        return format_partial(self.first, self.precision)


def parse(value) -> PartialDate:
    """A partial date from an import cell or an API value: text in one of FORMS, a year as a
    number, or a date (a spreadsheet's date cell). Raises ValueError saying why."""
    if isinstance(value, datetime):
        return _checked(value.date(), "day")
    if isinstance(value, date):
        return _checked(value, "day")
    if isinstance(value, bool):
        raise ValueError(f"is not a date; write {FORMS}")
    if isinstance(value, int | float) and float(value).is_integer():
        value = str(int(value))
    text = str(value).strip()
    try:
        if m := _YEAR.match(text):
            return _checked(date(int(m[1]), 1, 1), "year")
        if m := _QUARTER.match(text):
            return _checked(date(int(m[1]), 3 * int(m[2]) - 2, 1), "quarter")
        if m := _MONTH.match(text):
            return _checked(date(int(m[1]), int(m[2]), 1), "month")
        if m := _DAY.match(text):
            return _checked(date(int(m[1]), int(m[2]), int(m[3])), "day")
    except ValueError:
        raise ValueError(f"is not a real date ({text}); write {FORMS}") from None
    raise ValueError(f"is not a date in one of the forms {FORMS}")


def _checked(day: date, precision: str) -> PartialDate:
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ValueError(f"must be between the years {YEARS[0]} and {YEARS[1]}")
    return PartialDate(day, precision)


def stored(day: date | None, precision: str | None) -> PartialDate | None:
    """The stored pair as a PartialDate (None when no date is stored)."""
    if day is None:
        return None
    return PartialDate(day, precision if precision in PRECISIONS else "day")


def written(day: date | None, precision: str | None) -> str | None:
    """ "2017", "2017-Q3", "2017-09", "2017-09-04"; None when no date."""
    if day is None:
        return None
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def format_partial(day: date | None, precision: str | None, empty: str = "—") -> str:
    """How pages and the API show a date at its precision: "2017", "Q3 2017", "Sep 2017",
    "4 Sep 2017"; `empty` when there is none."""
    if day is None:
        return empty
    localised = partial_text(day, precision)  # another language than English: its own forms
    if localised is not None:
        return localised
    if precision == "year":
        return f"{day.year}"
    if precision == "quarter":
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if precision == "month":
        return f"{day:%b} {day.year}"
    return f"{day.day} {day:%b} {day.year}"
