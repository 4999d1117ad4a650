"""The form of the team page: a member and, for the RTA, the secondment."""

from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

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


class TeamMemberForm(SafeForm):
    role = SelectField("Role", choices=choices((r, TEAM_ROLE_LABELS[r]) for r in TEAM_ROLES))
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    organisation = StringField("Organisation", validators=[Optional(), Length(max=200)])
    country = StringField("Country code", validators=[Optional(), Length(max=2)])
    email = StringField("E-mail", validators=[Optional(), Length(max=254)])
    secondment_start = DateField("Secondment start (RTA)", validators=[Optional()])
    secondment_end = DateField("Secondment end (RTA, inclusive)", validators=[Optional()])
    starts_on = DateField("In the role from", validators=[Optional()])
    deputy_name = StringField("Deputy's name", validators=[Optional(), Length(max=200)])
    deputy_email = StringField(
        "Deputy's e-mail",
        validators=[Optional(), Length(max=254)],
        description="A user account who may sign in this person's place.",
    )
