"""The selection record's forms: one proposal's eligibility, and the meeting with one row per
eligible proposal (attendance, score, rank)."""

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from twinflow.i18n import lazy_gettext
from twinflow.web.forms import SafeForm, SafeQueryForm
from twinflow.web.helpers import choices


class EligibilityForm(SafeForm):
    eligible = RadioField(
        lazy_gettext("Eligible"),
        choices=choices([("yes", lazy_gettext("Eligible")), ("no", lazy_gettext("Not eligible"))]),
        validators=[InputRequired(message=lazy_gettext("say whether the proposal is eligible"))],
    )
    reason = TextAreaField(
        lazy_gettext("Reason (required when not eligible)"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )


class ProposalRow(SafeQueryForm):
    """A sub-form of MeetingForm (the CSRF token is the outer form's); its values are held to
    the text rule like every other field's."""

    proposal_id = HiddenField()
    leader_present = BooleanField(lazy_gettext("Project leader present"))
    rta_present = BooleanField(lazy_gettext("Proposed RTA present"))
    score = DecimalField(
        lazy_gettext("Score (0-100)"), places=2, validators=[Optional(), NumberRange(0, 100)]
    )
    rank = IntegerField(lazy_gettext("Rank"), validators=[Optional(), NumberRange(min=1, max=1000)])


class MeetingForm(SafeForm):
    held_on = DateField(lazy_gettext("Held on"), validators=[DataRequired()])
    minutes = FileField(lazy_gettext("Minutes (a file)"))
    rows = FieldList(FormField(ProposalRow), max_entries=100)
    reserve_proposal_id = SelectField(
        lazy_gettext("Reserve Member State"), choices=[], validate_choice=False
    )
    notes = TextAreaField(
        lazy_gettext("Notes"), validators=[Optional(), Length(max=20000)], render_kw={"rows": 3}
    )
