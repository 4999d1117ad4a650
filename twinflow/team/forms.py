"""The form of the team page: a member and, for the RTA, the secondment."""

from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from twinflow.i18n import lazy_gettext
from twinflow.team.models import TEAM_ROLES
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices

TEAM_ROLE_LABELS = {
    "ms_project_leader": lazy_gettext("Member State project leader"),
    "bc_project_leader": lazy_gettext("Beneficiary project leader"),
    "rta": lazy_gettext("Resident Twinning Adviser (RTA)"),
    "rta_counterpart": lazy_gettext("RTA counterpart"),
    "junior_ms_partner": lazy_gettext("Junior Member State partner"),
}


class TeamMemberForm(SafeForm):
    role = SelectField(
        lazy_gettext("Role"), choices=choices((r, TEAM_ROLE_LABELS[r]) for r in TEAM_ROLES)
    )
    name = StringField(lazy_gettext("Name"), validators=[DataRequired(), Length(max=200)])
    organisation = StringField(
        lazy_gettext("Organisation"), validators=[Optional(), Length(max=200)]
    )
    country = StringField(lazy_gettext("Country code"), validators=[Optional(), Length(max=2)])
    email = StringField(lazy_gettext("E-mail"), validators=[Optional(), Length(max=254)])
    secondment_start = DateField(lazy_gettext("Secondment start (RTA)"), validators=[Optional()])
    secondment_end = DateField(
        lazy_gettext("Secondment end (RTA, inclusive)"), validators=[Optional()]
    )
    starts_on = DateField(lazy_gettext("In the role from"), validators=[Optional()])
    deputy_name = StringField(
        lazy_gettext("Deputy's name"), validators=[Optional(), Length(max=200)]
    )
    deputy_email = StringField(
        lazy_gettext("Deputy's e-mail"),
        validators=[Optional(), Length(max=254)],
        description=lazy_gettext("A user account who may sign in this person's place."),
    )
