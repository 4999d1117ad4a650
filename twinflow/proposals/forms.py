"""The Member State proposal form; one Member State, one proposal per call."""

from wtforms import SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import DataRequired, Length, Optional

from twinflow.i18n import lazy_gettext
from twinflow.web.forms import SafeForm


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ProposalForm(SafeForm):
    project_leader = StringField(
        lazy_gettext("Member State project leader"), validators=[DataRequired(), Length(max=200)]
    )
    rta_name = StringField(
        lazy_gettext("Resident Twinning Adviser (RTA)"), validators=[Optional(), Length(max=200)]
    )
    junior_member_states = CheckboxList(
        lazy_gettext("Junior Member States (consortium partners)"),
        choices=[],  # today's Member States from the reference data, set by the view
        validate_choice=False,  # the operation names any code that is not a Member State
    )
    summary = TextAreaField(
        lazy_gettext("Summary of the proposal"),
        validators=[Optional(), Length(max=20000)],
        render_kw={"rows": 6},
    )
