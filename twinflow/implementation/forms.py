"""Forms of the implementation pages. They check the shape of what is typed; whether it is
allowed (dates in order, a secondment's length, who may act) is the operations' answer."""

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from twinflow.activities.models import ACTIVITY_KINDS, ACTIVITY_STATUSES
from twinflow.changes.models import CHANGE_KINDS
from twinflow.documents.models import DOCUMENT_CATEGORIES
from twinflow.team.models import TEAM_ROLES
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices

TEAM_ROLE_LABELS = {
    "ms_project_leader": "Member State project leader",
    "bc_project_leader": "Beneficiary project leader",
    "rta": "Resident Twinning Adviser (RTA)",
    "rta_counterpart": "RTA counterpart",
    "junior_ms_partner": "Junior Member State partner",
}
CATEGORY_LABELS = {c: c.replace("_", " ").capitalize() for c in DOCUMENT_CATEGORIES}
# The figures a side letter or an addendum changes, as the pages name them.
CHANGE_LABELS = {
    "extend_months": "Extension (months)",
    "budget_eur": "EU budget (EUR)",
    "reallocation_eur": "Reallocation (EUR)",
    "implementation_end": "Implementation end",
    "implementation_months": "Implementation (months)",
}


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def values_of(form, *names: str) -> dict:
    """The fields filled in, as the operations read them (lists from one-per-line text)."""
    out = {}
    for field in form:
        name = field.short_name
        if name in ("csrf_token",) or (names and name not in names):
            continue
        value = field.data
        if isinstance(value, str):
            value = value.strip()
            if field.type == "TextAreaField" and name in ("experts", "attendees"):
                value = [line.strip() for line in value.splitlines() if line.strip()]
        if value in (None, "", []) and name not in ("attendees",):
            continue
        out[name] = value
    return out


class ComponentForm(SafeForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(
        "Description", validators=[Optional(), Length(max=5000)], render_kw={"rows": 2}
    )


class ResultForm(ComponentForm):
    pass


class IndicatorForm(SafeForm):
    name = StringField("Indicator", validators=[DataRequired(), Length(max=300)])
    unit = StringField("Unit", validators=[Optional(), Length(max=60)])
    baseline = DecimalField("Baseline", validators=[InputRequired(message="is required")])
    target = DecimalField("Target", validators=[InputRequired(message="is required")])


class IndicatorValueForm(SafeForm):
    reached = DecimalField("Value reached", validators=[InputRequired(message="is required")])


class ActivityForm(SafeForm):
    kind = SelectField("Kind", choices=choices((k, _label(k)) for k in ACTIVITY_KINDS))
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    planned_start = DateField("Planned start", validators=[DataRequired()])
    planned_end = DateField("Planned end", validators=[DataRequired()])
    experts = TextAreaField(
        "Experts (one per line)", validators=[Optional(), Length(max=5000)], render_kw={"rows": 2}
    )
    participants = IntegerField(
        "Participants", validators=[Optional(), NumberRange(min=0, message="cannot be negative")]
    )


class ActivityUpdateForm(SafeForm):
    status = SelectField("Status", choices=choices((s, _label(s)) for s in ACTIVITY_STATUSES))
    actual_start = DateField("Actual start", validators=[Optional()])
    actual_end = DateField("Actual end", validators=[Optional()])
    participants = IntegerField(
        "Participants", validators=[Optional(), NumberRange(min=0, message="cannot be negative")]
    )


class TeamMemberForm(SafeForm):
    role = SelectField("Role", choices=choices((r, TEAM_ROLE_LABELS[r]) for r in TEAM_ROLES))
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    organisation = StringField("Organisation", validators=[Optional(), Length(max=200)])
    country = StringField("Country code", validators=[Optional(), Length(max=2)])
    email = StringField("E-mail", validators=[Optional(), Length(max=254)])
    secondment_start = DateField("Secondment start (RTA)", validators=[Optional()])
    secondment_end = DateField("Secondment end (RTA, inclusive)", validators=[Optional()])


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


class StepForm(SafeForm):
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=4000)])


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


class MeetingForm(SafeForm):
    held_on = DateField("Held on", validators=[DataRequired()])
    attendees = TextAreaField(
        "Attendees (one per line)", validators=[Length(max=10000)], render_kw={"rows": 3}
    )
    minutes = TextAreaField("Minutes", validators=[Optional(), Length(max=50000)])


class UploadForm(SafeForm):
    file = FileField("File", validators=[FileRequired(message="choose a file to upload")])
    category = SelectField(
        "Category", choices=choices((c, CATEGORY_LABELS[c]) for c in DOCUMENT_CATEGORIES)
    )
    report_id = SelectField("Attach to report", choices=[], validate_choice=False)
    next = HiddenField()
