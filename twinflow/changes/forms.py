"""The form of the changes page: a side letter or an addendum and the figures it changes."""

from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from twinflow.changes.models import CHANGE_KINDS
from twinflow.i18n import lazy_gettext
from twinflow.records.forms import values_of
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices


class ChangeForm(SafeForm):
    kind = SelectField(
        lazy_gettext("Kind"),
        choices=choices(
            (
                k,
                lazy_gettext("Side letter (minor change)")
                if k == "side_letter"
                else lazy_gettext("Addendum (major change)"),
            )
            for k in CHANGE_KINDS
        ),
    )
    title = StringField(lazy_gettext("Title"), validators=[DataRequired(), Length(max=300)])
    justification = TextAreaField(
        lazy_gettext("Justification"),
        validators=[DataRequired(), Length(max=20000)],
        render_kw={"rows": 3},
    )
    extend_months = IntegerField(
        lazy_gettext("Extend the implementation by (months)"),
        validators=[
            Optional(),
            NumberRange(
                min=-1200, max=1200, message=lazy_gettext("must be between -1200 and 1200 months")
            ),
        ],
        description=lazy_gettext("Addenda only."),
    )
    budget_eur = DecimalField(
        lazy_gettext("New EU budget (EUR)"),
        validators=[Optional()],
        description=lazy_gettext("Addenda only."),
    )
    reallocation_eur = DecimalField(
        lazy_gettext("Reallocation (EUR)"),
        validators=[Optional()],
        description=lazy_gettext("Side letters, within a limit."),
    )

    # A new project leader (side letter) or RTA (addendum), from the date it takes effect.
    replace_role = SelectField(
        lazy_gettext("Replace"),
        choices=choices(
            [
                ("", lazy_gettext("Nobody")),
                (
                    "ms_project_leader",
                    lazy_gettext("The Member State project leader (side letter)"),
                ),
                (
                    "bc_project_leader",
                    lazy_gettext("The beneficiary's project leader (side letter)"),
                ),
                ("rta", lazy_gettext("The Resident Twinning Adviser (addendum)")),
            ]
        ),
        # Left out of a post: nobody. Another value is refused by the change's own check.
        validate_choice=False,
    )
    new_name = StringField(
        lazy_gettext("New person's name"), validators=[Optional(), Length(max=200)]
    )
    new_email = StringField(
        lazy_gettext("New person's e-mail"), validators=[Optional(), Length(max=254)]
    )
    effective_on = DateField(lazy_gettext("Takes the role on"), validators=[Optional()])
    new_secondment_start = DateField(
        lazy_gettext("New RTA's secondment start"), validators=[Optional()]
    )
    new_secondment_end = DateField(
        lazy_gettext("New RTA's secondment end"), validators=[Optional()]
    )
    rta_secondment_end = DateField(
        lazy_gettext("RTA's secondment extended to"),
        validators=[Optional()],
        description=lazy_gettext("Addenda only."),
    )
    rta_not_extended_because = TextAreaField(
        lazy_gettext("Why the RTA's secondment is not extended"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )

    def change_values(self) -> dict:
        figures = values_of(
            self,
            "extend_months",
            "budget_eur",
            "reallocation_eur",
            "rta_secondment_end",
            "rta_not_extended_because",
        )
        role = self.replace_role.data
        if role:
            person = {"name": self.new_name.data, "email": self.new_email.data or None}
            person["effective_on"] = self.effective_on.data
            if role == "rta":
                person["secondment_start"] = self.new_secondment_start.data
                person["secondment_end"] = self.new_secondment_end.data
            figures[role] = {k: v for k, v in person.items() if v not in (None, "")}
        return values_of(self, "title", "justification") | {"changes": figures}
