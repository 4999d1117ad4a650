"""The forms of a deadline on the project page (waive it, or move it, each with a reason) and
the time zone reminders are worded in."""

from zoneinfo import available_timezones

from wtforms import DateTimeLocalField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from twinflow.deadlines.waivers import REASON_MAX
from twinflow.web.forms import SafeForm


class WaiveForm(SafeForm):
    reason = TextAreaField(
        "Reason for the waiver",
        validators=[DataRequired("a reason is required"), Length(max=REASON_MAX)],
        render_kw={"rows": 2},
    )


class MoveForm(SafeForm):
    due_at = DateTimeLocalField(
        "New due date (UTC)",
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired("a new due date is required")],
    )
    reason = TextAreaField(
        "Reason for the move",
        validators=[DataRequired("a reason is required"), Length(max=REASON_MAX)],
        render_kw={"rows": 2},
    )


def _zones() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(available_timezones())]


class TimeZoneForm(SafeForm):
    time_zone = SelectField(
        "Your time zone",
        choices=_zones,
        description="Reminders say “today”, “tomorrow” or “in 3 days” by your calendar.",
    )
