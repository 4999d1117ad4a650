"""Filters of the audit log (a GET form: no state changes, so no CSRF token needed)."""

from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from twinflow.web.forms import SafeQueryForm
from twinflow.web.helpers import choices
from twinflow.web.labels import ACTION_LABELS
from twinflow.workflow.data import YEARS


class Day(DateField):
    """A date as YYYY-MM-DD within the years the app keeps to (a day past 9999-12-31 is an
    overflow, not an empty result)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("is not a date: write it as YYYY-MM-DD, e.g. 2027-01-31") from None

    def pre_validate(self, form):
        if self.data is not None and not YEARS[0] <= self.data.year <= YEARS[1]:
            raise ValidationError(f"must be between the years {YEARS[0]} and {YEARS[1]}")


class AuditFilterForm(SafeQueryForm):
    action = SelectField(
        "Action",
        choices=choices([("", "Any action"), *ACTION_LABELS.items()]),
        validate_choice=False,  # an unknown action simply matches nothing
    )
    project = StringField(
        "Project", validators=[Optional(), Length(max=40)], description="Reference or number"
    )
    actor = StringField("User e-mail contains", validators=[Optional(), Length(max=254)])
    date_from = Day("From", validators=[Optional()])
    date_to = Day("To (inclusive)", validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("must not be before From")
