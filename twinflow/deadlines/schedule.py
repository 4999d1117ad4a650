"""When a deadline must alert someone: each reminder before it, then escalations after it.

Every alert has a label that names it for good ("reminder:3d", "escalation:2"); the scheduler
puts the label in the notification key, so an alert can be created at most once.
"""

from datetime import datetime, timedelta

from twinflow.deadlines.models import Deadline


def _reminders(deadline: Deadline) -> list[tuple[datetime, str]]:
    """(moment, label) of each reminder, earliest first."""
    offsets = sorted(set(deadline.reminder_offsets_days), reverse=True)
    return [(deadline.due_at - timedelta(days=d), f"reminder:{d}d") for d in offsets]


def _step(deadline: Deadline) -> timedelta | None:
    days = deadline.escalate_every_days
    return timedelta(days=days) if days else None


def current_alert(deadline: Deadline, now: datetime) -> tuple[datetime, str] | None:
    """The latest alert whose moment has come by `now`: a scheduler that was down for a week
    sends the one alert that matters now, not every one it missed."""
    step = _step(deadline)
    if step is not None and now >= deadline.due_at + step:
        count = (now - deadline.due_at) // step
        return deadline.due_at + step * count, f"escalation:{count}"
    past = [r for r in _reminders(deadline) if r[0] <= now]
    return past[-1] if past else None


def next_alert_after(deadline: Deadline, moment: datetime) -> datetime | None:
    """The first alert strictly after `moment`, or None when nothing more is owed."""
    for when, _label in _reminders(deadline):
        if when > moment:
            return when
    step = _step(deadline)
    if step is None:
        return None
    if moment < deadline.due_at + step:
        return deadline.due_at + step
    return deadline.due_at + step * ((moment - deadline.due_at) // step + 1)


def first_alert(deadline: Deadline, now: datetime) -> datetime | None:
    """On creation (or on return from a detour): at once if an alert's moment has already come,
    so a deadline set five days ahead still gets its '14 days' reminder; else the next one."""
    if current_alert(deadline, now) is not None:
        return now
    return next_alert_after(deadline, now)
