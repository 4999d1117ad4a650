"""ISO 8601 durations of calendar months and days (P8W, P3M, P1M15D) and their arithmetic."""

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

_PATTERN = re.compile(r"^P(?:(?P<y>\d+)Y)?(?:(?P<m>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?$")


@dataclass(frozen=True)
class Duration:
    months: int = 0
    days: int = 0

    @classmethod
    def parse(cls, text: str) -> "Duration":
        match = _PATTERN.match(text or "")
        if not match or text == "P":
            raise ValueError(f"{text!r} is not an ISO 8601 duration such as P8W, P3M or P14D")
        parts = {k: int(v) if v else 0 for k, v in match.groupdict().items()}
        return cls(months=parts["y"] * 12 + parts["m"], days=parts["w"] * 7 + parts["d"])

    def after(self, when: datetime) -> datetime:
        return add_months(when, self.months) + timedelta(days=self.days)

    def before(self, when: datetime) -> datetime:
        return add_months(when, -self.months) - timedelta(days=self.days)

    def words(self) -> str:
        """P8W -> "8 weeks", P3M -> "3 months", P1M2D -> "1 month and 2 days"."""

        def unit(n, name):
            return f"{n} {name}{'' if n == 1 else 's'}"

        parts = [unit(self.months, "month")] if self.months else []
        if self.days:
            weeks, days = divmod(self.days, 7)
            parts += [unit(weeks, "week")] if weeks and not days else [unit(self.days, "day")]
        return " and ".join(parts) or "no time"

    def __str__(self) -> str:
        text = (
            "P"
            + (f"{self.months}M" if self.months else "")
            + (f"{self.days}D" if self.days else "")
        )
        return text if text != "P" else "P0D"


def add_months(when: datetime, months: int) -> datetime:
    """Calendar months, clamping the day: 31 January + 1 month is 28 or 29 February."""
    index = when.month - 1 + months
    year, month = when.year + index // 12, index % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)
