"""The forms of a deadline on the project page (waive it, or move it, each with a reason) and
the time zone reminders are worded in."""

from zoneinfo import available_timezones

from wtforms import DateTimeLocalField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from twinflow.deadlines.waivers import REASON_MAX
from twinflow.i18n import lazy_gettext
from twinflow.web.forms import SafeForm

REASON_REQUIRED = lazy_gettext("a reason is required")


class WaiveForm(SafeForm):
    reason = TextAreaField(
        lazy_gettext("Reason for the waiver"),
        validators=[DataRequired(REASON_REQUIRED), Length(max=REASON_MAX)],
        render_kw={"rows": 2},
    )


class MoveForm(SafeForm):
    due_at = DateTimeLocalField(
        lazy_gettext("New due date (UTC)"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(lazy_gettext("a new due date is required"))],
    )
    reason = TextAreaField(
        lazy_gettext("Reason for the move"),
        validators=[DataRequired(REASON_REQUIRED), Length(max=REASON_MAX)],
        render_kw={"rows": 2},
    )


def _zones() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(available_timezones())]


class TimeZoneForm(SafeForm):
    time_zone = SelectField(
        lazy_gettext("Your time zone"),
        choices=_zones,
        description=lazy_gettext(
            "Reminders say “today”, “tomorrow” or “in 3 days” by your calendar."
        ),
    )
