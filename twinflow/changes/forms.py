"""The form of the changes page: a side letter or an addendum and the figures it changes."""

from wtforms import DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from twinflow.changes.models import CHANGE_KINDS
from twinflow.records.forms import values_of
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices


class ChangeForm(SafeForm):
    kind = SelectField(
        "Kind",
        choices=choices(
            (k, "Side letter (minor change)" if k == "side_letter" else "Addendum (major change)")
            for k in CHANGE_KINDS
        ),
    )
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    justification = TextAreaField(
        "Justification", validators=[DataRequired(), Length(max=20000)], render_kw={"rows": 3}
    )
    extend_months = IntegerField(
        "Extend the implementation by (months)",
        validators=[
            Optional(),
            NumberRange(min=-1200, max=1200, message="must be between -1200 and 1200 months"),
        ],
        description="Addenda only.",
    )
    budget_eur = DecimalField(
        "New EU budget (EUR)", validators=[Optional()], description="Addenda only."
    )
    reallocation_eur = DecimalField(
        "Reallocation (EUR)", validators=[Optional()], description="Side letters, within a limit."
    )

    def change_values(self) -> dict:
        figures = values_of(self, "extend_months", "budget_eur", "reallocation_eur")
        return values_of(self, "title", "justification") | {"changes": figures}
