"""The form of the steering committee page: a meeting once it is held."""

from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from twinflow.i18n import lazy_gettext
from twinflow.web.forms import SafeForm


class MeetingForm(SafeForm):
    held_on = DateField(lazy_gettext("Held on"), validators=[DataRequired()])
    attendees = TextAreaField(
        lazy_gettext("Attendees (one per line)"),
        validators=[Length(max=10000)],
        render_kw={"rows": 3},
    )
    minutes = TextAreaField(lazy_gettext("Minutes"), validators=[Optional(), Length(max=50000)])
