"""Filters of the audit log (a GET form: no state changes, so no CSRF token needed)."""

from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from twinflow.i18n import gettext, lazy_gettext
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
            raise ValueError(
                gettext("is not a date: write it as YYYY-MM-DD, e.g. 2027-01-31")
            ) from None

    def pre_validate(self, form):
        if self.data is not None and not YEARS[0] <= self.data.year <= YEARS[1]:
            raise ValidationError(
                gettext(
                    "must be between the years %(first)s and %(last)s",
                    first=YEARS[0],
                    last=YEARS[1],
                )
            )


class AuditFilterForm(SafeQueryForm):
    action = SelectField(
        lazy_gettext("Action"),
        choices=choices([("", lazy_gettext("Any action")), *ACTION_LABELS.items()]),
        validate_choice=False,  # an unknown action simply matches nothing
    )
    project = StringField(
        lazy_gettext("Project"),
        validators=[Optional(), Length(max=40)],
        description=lazy_gettext("Reference or number"),
    )
    actor = StringField(
        lazy_gettext("User e-mail contains"), validators=[Optional(), Length(max=254)]
    )
    date_from = Day(lazy_gettext("From"), validators=[Optional()])
    date_to = Day(lazy_gettext("To (inclusive)"), validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(gettext("must not be before From"))
