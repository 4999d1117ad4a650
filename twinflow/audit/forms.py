"""Filters of the audit log (a GET form: no state changes, so no CSRF token needed)."""

from wtforms import DateField, Form, SelectField, StringField
from wtforms.validators import Length, Optional

from twinflow.web.helpers import choices
from twinflow.web.labels import ACTION_LABELS


class AuditFilterForm(Form):
    action = SelectField(
        "Action",
        choices=choices([("", "Any action"), *ACTION_LABELS.items()]),
        validate_choice=False,  # an unknown action simply matches nothing
    )
    project = StringField(
        "Project", validators=[Optional(), Length(max=40)], description="Reference or number"
    )
    actor = StringField("User e-mail contains", validators=[Optional(), Length(max=254)])
    date_from = DateField("From", validators=[Optional()])
    date_to = DateField("To (inclusive)", validators=[Optional()])
