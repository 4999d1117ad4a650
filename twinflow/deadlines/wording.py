"""How far off a deadline is, in the words of its reader's own calendar: "in 4 hours" the same
day, "tomorrow" the next calendar day (even 4 minutes before midnight), "in 3 days" after.
Days are counted in the recipient's time zone, not as 24-hour blocks."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime, format_timedelta

from twinflow.auth.models import DEFAULT_TIME_ZONE
from twinflow.i18n import current_language, gettext, ngettext


def zone(name: str | None) -> ZoneInfo:
    """The user's zone; an unknown or missing name reads as the default, never an error."""
    try:
        return ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def relative_due(due_at: datetime, now: datetime, tz: ZoneInfo) -> str:
    if due_at < now:
        return gettext("now overdue")
    if due_at - now < timedelta(minutes=1):
        return gettext("now")  # the "0 days" reminder, sent at the due time itself
    days = (due_at.astimezone(tz).date() - now.astimezone(tz).date()).days
    if days == 0:
        # threshold=1: stay in hours up to the day's end ("in 23 hours", never "in 1 day").
        return format_timedelta(
            due_at - now, threshold=1, add_direction=True, locale=current_language()
        )
    if days == 1:
        return gettext("tomorrow")
    return ngettext("in %(num)d day", "in %(num)d days", days)


def local_moment(moment: datetime, tz: ZoneInfo) -> str:
    when = format_datetime(
        moment.astimezone(tz), "EEEE dd MMMM y, HH:mm", tzinfo=tz, locale=current_language()
    )
    return f"{when} ({tz.key})"
