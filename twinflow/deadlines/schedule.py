"""When a deadline must next alert someone: each reminder before it, then escalations after."""

from datetime import datetime, timedelta

from twinflow.deadlines.models import Deadline


def alert_times(deadline: Deadline, until: datetime) -> list[datetime]:
    """All alert moments up to `until`, in order: reminders, then escalations while overdue."""
    times = sorted(deadline.due_at - timedelta(days=d) for d in deadline.reminder_offsets_days)
    if deadline.escalate_every_days:
        step = timedelta(days=deadline.escalate_every_days)
        moment = deadline.due_at + step
        while moment <= until:
            times.append(moment)
            moment += step
    return times


def next_alert_after(deadline: Deadline, moment: datetime) -> datetime | None:
    """The first alert strictly after `moment`, or None when nothing more is owed."""
    for offset in sorted(deadline.reminder_offsets_days, reverse=True):
        when = deadline.due_at - timedelta(days=offset)
        if when > moment:
            return when
    if deadline.escalate_every_days:
        step = timedelta(days=deadline.escalate_every_days)
        when = deadline.due_at + step
        if when <= moment:
            periods = (moment - deadline.due_at) // step
            when = deadline.due_at + step * (periods + 1)
        return when
    return None


def first_alert(deadline: Deadline, now: datetime) -> datetime | None:
    """On creation, reminders whose moment is already past are skipped, except the latest one."""
    past = [deadline.due_at - timedelta(days=d) for d in deadline.reminder_offsets_days]
    past = [t for t in past if t <= now]
    if past and deadline.due_at >= now:
        return now  # a reminder fell due before the deadline even existed: send one at once
    return next_alert_after(deadline, now - timedelta(microseconds=1))
