"""Reading the values an adapter hands in: every problem collected, keyed by its field."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from twinflow.i18n import gettext
from twinflow.workflow.data import YEARS
from twinflow.workflow.errors import InvalidData

# The largest figures the columns hold: indicators are NUMERIC(16, 2), amounts NUMERIC(14, 2).
MAX_FIGURE = Decimal("99999999999999")
MAX_EUR = Decimal("999999999999")
CENTS = Decimal("0.01")


class Values:
    """Reads fields from a plain dict; `done()` raises InvalidData with every error at once."""

    def __init__(self, values: dict | None, allowed: tuple[str, ...]):
        self.raw = dict(values or {})
        self.errors: dict[str, list[str]] = {}
        for name in self.raw:
            if name not in allowed:
                accepted = ", ".join(allowed)
                self.error(name, gettext("unknown field (accepted: %(names)s)", names=accepted))

    def error(self, name: str, reason: str) -> None:
        self.errors.setdefault(name, []).append(reason)

    def given(self, name: str) -> bool:
        return name in self.raw

    def text(self, name: str, *, required=False, max_length=300, default=None) -> str | None:
        value = self.raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(name, gettext("is required"))
            return default
        if not isinstance(value, str):
            self.error(name, gettext("must be text"))
            return default
        value = value.strip()
        if max_length and len(value) > max_length:
            self.error(name, gettext("must be at most %(count)s characters", count=max_length))
        return value

    def choice(self, name: str, options: tuple[str, ...], *, required=False, default=None):
        value = self.raw.get(name)
        if value is None:
            if required:
                listed = ", ".join(options)
                self.error(name, gettext("is required (one of: %(options)s)", options=listed))
            return default
        if value not in options:
            self.error(name, gettext("must be one of: %(options)s", options=", ".join(options)))
            return default
        return value

    def day(self, name: str, *, required=False) -> date | None:
        value = self.raw.get(name)
        if value is None or value == "":
            if required:
                self.error(name, gettext("is required"))
            return None
        if isinstance(value, datetime):
            self.error(name, gettext("must be a date without a time, e.g. 2027-03-01"))
            return None
        if not isinstance(value, date):
            try:
                value = date.fromisoformat(value)
            except (TypeError, ValueError):
                self.error(name, gettext("is not an ISO 8601 date, e.g. 2027-03-01"))
                return None
        if not YEARS[0] <= value.year <= YEARS[1]:
            # Dates far out overflow the quarters, secondments and Gantt drawn from them.
            self.error(
                name,
                gettext(
                    "must be between the years %(first)s and %(last)s",
                    first=YEARS[0],
                    last=YEARS[1],
                ),
            )
            return None
        return value

    def integer(self, name: str, *, required=False, minimum=None, maximum=None) -> int | None:
        value = self.raw.get(name)
        if value is None:
            if required:
                self.error(name, gettext("is required"))
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(name, gettext("must be a whole number"))
            return None
        if minimum is not None and value < minimum:
            self.error(name, gettext("must be at least %(number)s", number=minimum))
        if maximum is not None and value > maximum:
            self.error(name, gettext("must be at most %(number)s", number=maximum))
        return value

    def number(
        self, name: str, *, required=False, minimum=None, largest=MAX_FIGURE
    ) -> Decimal | None:
        """A decimal rounded to cents, within ±`largest` (what its column can hold)."""
        value = self.raw.get(name)
        if value is None:
            if required:
                self.error(name, gettext("is required"))
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.error(name, gettext("must be a number"))
            return None
        try:
            parsed = Decimal(str(value))
        except InvalidOperation:
            self.error(name, gettext("must be a number"))
            return None
        if not parsed.is_finite():
            self.error(name, gettext("must be a finite number"))
            return None
        if minimum is not None and parsed < minimum:
            self.error(name, gettext("must be at least %(number)s", number=minimum))
        if abs(parsed) > largest:
            self.error(
                name, gettext("must be at most %(number)s in size", number=format(largest, ","))
            )
            return None
        return parsed.quantize(CENTS)

    def names(self, name: str, *, max_items=50) -> list[str]:
        value = self.raw.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(name, gettext("must be a list of names"))
            return []
        cleaned = [v.strip() for v in value if v.strip()]
        if len(cleaned) > max_items:
            self.error(name, gettext("must list at most %(count)s names", count=max_items))
        if any(len(v) > 200 for v in cleaned):
            self.error(name, gettext("each name must be at most 200 characters"))
        return cleaned

    def done(self) -> None:
        if self.errors:
            raise InvalidData(self.errors)
