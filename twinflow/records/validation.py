"""Reading the values an adapter hands in: every problem collected, keyed by its field."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

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
                self.error(name, f"unknown field (accepted: {', '.join(allowed)})")

    def error(self, name: str, reason: str) -> None:
        self.errors.setdefault(name, []).append(reason)

    def given(self, name: str) -> bool:
        return name in self.raw

    def text(self, name: str, *, required=False, max_length=300, default=None) -> str | None:
        value = self.raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(name, "is required")
            return default
        if not isinstance(value, str):
            self.error(name, "must be text")
            return default
        value = value.strip()
        if max_length and len(value) > max_length:
            self.error(name, f"must be at most {max_length} characters")
        return value

    def choice(self, name: str, options: tuple[str, ...], *, required=False, default=None):
        value = self.raw.get(name)
        if value is None:
            if required:
                self.error(name, f"is required (one of: {', '.join(options)})")
            return default
        if value not in options:
            self.error(name, f"must be one of: {', '.join(options)}")
            return default
        return value

    def day(self, name: str, *, required=False) -> date | None:
        value = self.raw.get(name)
        if value is None or value == "":
            if required:
                self.error(name, "is required")
            return None
        if isinstance(value, datetime):
            self.error(name, "must be a date without a time, e.g. 2027-03-01")
            return None
        if not isinstance(value, date):
            try:
                value = date.fromisoformat(value)
            except (TypeError, ValueError):
                self.error(name, "is not an ISO 8601 date, e.g. 2027-03-01")
                return None
        if not YEARS[0] <= value.year <= YEARS[1]:
            # Dates far out overflow the quarters, secondments and Gantt drawn from them.
            self.error(name, f"must be between the years {YEARS[0]} and {YEARS[1]}")
            return None
        return value

    def integer(self, name: str, *, required=False, minimum=None, maximum=None) -> int | None:
        value = self.raw.get(name)
        if value is None:
            if required:
                self.error(name, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(name, "must be a whole number")
            return None
        if minimum is not None and value < minimum:
            self.error(name, f"must be at least {minimum}")
        if maximum is not None and value > maximum:
            self.error(name, f"must be at most {maximum}")
        return value

    def number(
        self, name: str, *, required=False, minimum=None, largest=MAX_FIGURE
    ) -> Decimal | None:
        """A decimal rounded to cents, within ±`largest` (what its column can hold)."""
        value = self.raw.get(name)
        if value is None:
            if required:
                self.error(name, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.error(name, "must be a number")
            return None
        try:
            parsed = Decimal(str(value))
        except InvalidOperation:
            self.error(name, "must be a number")
            return None
        if not parsed.is_finite():
            self.error(name, "must be a finite number")
            return None
        if minimum is not None and parsed < minimum:
            self.error(name, f"must be at least {minimum}")
        if abs(parsed) > largest:
            self.error(name, f"must be at most {largest:,} in size")
            return None
        return parsed.quantize(CENTS)

    def names(self, name: str, *, max_items=50) -> list[str]:
        value = self.raw.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(name, "must be a list of names")
            return []
        cleaned = [v.strip() for v in value if v.strip()]
        if len(cleaned) > max_items:
            self.error(name, f"must list at most {max_items} names")
        if any(len(v) > 200 for v in cleaned):
            self.error(name, "each name must be at most 200 characters")
        return cleaned

    def done(self) -> None:
        if self.errors:
            raise InvalidData(self.errors)
