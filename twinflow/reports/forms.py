"""The form of the reports page: drafting an interim or the final report."""

from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices


class ReportForm(SafeForm):
    kind = SelectField(
        "Kind", choices=choices([("interim", "Interim (quarterly)"), ("final", "Final")])
    )
    number = IntegerField(
        "Quarter (interim reports)",
        validators=[
            Optional(),
            NumberRange(min=1, max=200, message="must be a quarter between 1 and 200"),
        ],
    )
    title = StringField("Title (optional)", validators=[Optional(), Length(max=300)])
    summary = TextAreaField(
        "Summary", validators=[Optional(), Length(max=20000)], render_kw={"rows": 3}
    )
