"""The administrators' forms for organisations and memberships; the rules live in
organisations/operations.py."""

from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from twinflow.i18n import lazy_gettext
from twinflow.organisations.models import KINDS
from twinflow.projects.forms import optional_id
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices


class OrganisationForm(SafeForm):
    name = StringField(lazy_gettext("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(lazy_gettext("Kind"), choices=choices(KINDS.items()))
    country = StringField(
        lazy_gettext("Country code"),
        validators=[Optional(), Length(max=2)],
        description=lazy_gettext(
            "Where it sits, two letters (required for beneficiary and Member State institutions)."
        ),
    )
    countries = StringField(
        lazy_gettext("Beneficiary countries covered"),
        validators=[Optional(), Length(max=300)],
        description=lazy_gettext(
            "Delegations, Commission services and contracting authorities: codes "
            "separated by spaces or commas, e.g. AM MD."
        ),
    )
    covers_all = BooleanField(lazy_gettext("A headquarters unit covering every country"))


class MembershipForm(SafeForm):
    organisation_id = SelectField(lazy_gettext("Organisation"), choices=[], coerce=optional_id)
