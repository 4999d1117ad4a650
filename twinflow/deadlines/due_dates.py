"""When a deadline of the lifecycle falls: its due dates from its anchor (one, or one per period
until the end), its title, and its intervals in days."""

from datetime import datetime

from twinflow.workflow.definition import DeadlineSpec
from twinflow.workflow.durations import Duration


def interval_days(duration) -> int:
    # Reminder and escalation intervals are stored in days; a month counts as 30 of them.
    return duration.months * 30 + duration.days


def deadline_title(spec: DeadlineSpec, key: str) -> str:
    if "#" in key:
        return f"{spec.title} {key.split('#', 1)[1]}"
    return spec.title


def _anchor(name: str | None, project, now: datetime) -> datetime | None:
    if name is None:
        return None
    return now if name == "entry" else getattr(project, name)


def due_dates(spec: DeadlineSpec, project, now: datetime) -> list[tuple[datetime, str]]:
    anchor = _anchor(spec.anchor, project, now)
    if anchor is None:
        return []
    if spec.every is None:
        return [(spec.after.after(anchor), spec.key)]
    until = _anchor(spec.until, project, now)
    if until is None:
        return []
    out, index = [], 1
    # Periods are counted from the anchor (not chained), so month-end clamping never drifts.
    while True:
        period_end = _add(spec.every, anchor, index)
        if period_end > until:
            break
        out.append((spec.after.after(period_end), f"{spec.key}#{index}"))
        index += 1
    return out


def _add(every: Duration, anchor: datetime, times: int) -> datetime:
    return Duration(months=every.months * times, days=every.days * times).after(anchor)
