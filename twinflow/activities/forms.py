"""Forms of the activities page: planning an activity, and recording what actually happened."""

from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from twinflow.activities.models import ACTIVITY_KINDS, ACTIVITY_STATUSES
from twinflow.i18n import lazy_gettext
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices

# The stored codes in words, read in the language of the page that shows them.
KIND_LABELS = {
    "expert_mission": lazy_gettext("Expert mission"),
    "training": lazy_gettext("Training"),
    "workshop": lazy_gettext("Workshop"),
    "study_visit": lazy_gettext("Study visit"),
    "internship": lazy_gettext("Internship"),
    "counselling": lazy_gettext("Counselling"),
}
STATUS_LABELS = {
    "planned": lazy_gettext("Planned"),
    "ongoing": lazy_gettext("Ongoing"),
    "done": lazy_gettext("Done"),
    "cancelled": lazy_gettext("Cancelled"),
}
NOT_NEGATIVE = lazy_gettext("cannot be negative")


class ActivityForm(SafeForm):
    kind = SelectField(
        lazy_gettext("Kind"), choices=choices((k, KIND_LABELS[k]) for k in ACTIVITY_KINDS)
    )
    title = StringField(lazy_gettext("Title"), validators=[DataRequired(), Length(max=300)])
    planned_start = DateField(lazy_gettext("Planned start"), validators=[DataRequired()])
    planned_end = DateField(lazy_gettext("Planned end"), validators=[DataRequired()])
    experts = TextAreaField(
        lazy_gettext("Experts (one per line)"),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 2},
    )
    participants = IntegerField(
        lazy_gettext("Participants"),
        validators=[Optional(), NumberRange(min=0, message=NOT_NEGATIVE)],
    )


class ActivityUpdateForm(SafeForm):
    status = SelectField(
        lazy_gettext("Status"),
        choices=choices((s, STATUS_LABELS[s]) for s in ACTIVITY_STATUSES),
    )
    actual_start = DateField(lazy_gettext("Actual start"), validators=[Optional()])
    actual_end = DateField(lazy_gettext("Actual end"), validators=[Optional()])
    participants = IntegerField(
        lazy_gettext("Participants"),
        validators=[Optional(), NumberRange(min=0, message=NOT_NEGATIVE)],
    )
