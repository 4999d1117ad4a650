"""The form of the reports page: drafting an interim or the final report."""

from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from twinflow.i18n import lazy_gettext
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices


class ReportForm(SafeForm):
    kind = SelectField(
        lazy_gettext("Kind"),
        choices=choices(
            [("interim", lazy_gettext("Interim (quarterly)")), ("final", lazy_gettext("Final"))]
        ),
    )
    number = IntegerField(
        lazy_gettext("Quarter (interim reports)"),
        validators=[
            Optional(),
            NumberRange(
                min=1, max=200, message=lazy_gettext("must be a quarter between 1 and 200")
            ),
        ],
    )
    title = StringField(lazy_gettext("Title (optional)"), validators=[Optional(), Length(max=300)])
    summary = TextAreaField(
        lazy_gettext("Summary"), validators=[Optional(), Length(max=20000)], render_kw={"rows": 3}
    )
