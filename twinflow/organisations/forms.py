"""The administrators' forms for organisations and memberships; the rules live in
organisations/operations.py."""

from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from twinflow.organisations.models import KINDS
from twinflow.projects.forms import optional_id
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices


class OrganisationForm(SafeForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=choices(KINDS.items()))
    country = StringField(
        "Country code",
        validators=[Optional(), Length(max=2)],
        description="Where it sits, two letters (required for beneficiary and Member State "
        "institutions).",
    )
    countries = StringField(
        "Beneficiary countries covered",
        validators=[Optional(), Length(max=300)],
        description="Delegations, Commission services and contracting authorities: codes "
        "separated by spaces or commas, e.g. AM MD.",
    )
    covers_all = BooleanField("A headquarters unit covering every country")


class MembershipForm(SafeForm):
    organisation_id = SelectField("Organisation", choices=[], coerce=optional_id)
