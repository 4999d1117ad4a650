"""Forms of the activities page: planning an activity, and recording what actually happened."""

from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from twinflow.activities.models import ACTIVITY_KINDS, ACTIVITY_STATUSES
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


class ActivityForm(SafeForm):
    kind = SelectField("Kind", choices=choices((k, _label(k)) for k in ACTIVITY_KINDS))
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    planned_start = DateField("Planned start", validators=[DataRequired()])
    planned_end = DateField("Planned end", validators=[DataRequired()])
    experts = TextAreaField(
        "Experts (one per line)", validators=[Optional(), Length(max=5000)], render_kw={"rows": 2}
    )
    participants = IntegerField(
        "Participants", validators=[Optional(), NumberRange(min=0, message="cannot be negative")]
    )


class ActivityUpdateForm(SafeForm):
    status = SelectField("Status", choices=choices((s, _label(s)) for s in ACTIVITY_STATUSES))
    actual_start = DateField("Actual start", validators=[Optional()])
    actual_end = DateField("Actual end", validators=[Optional()])
    participants = IntegerField(
        "Participants", validators=[Optional(), NumberRange(min=0, message="cannot be negative")]
    )
