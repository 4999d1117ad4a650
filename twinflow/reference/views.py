"""/admin/reference: the reference data in use (workflows/reference/*.yaml), for administrators
and coordinators to check what imports and new projects accept."""

from flask import Blueprint, render_template

from twinflow.i18n import current_language
from twinflow.reference import reference_for
from twinflow.services import get_engine
from twinflow.web.helpers import permission_required

blueprint = Blueprint(
    "web_reference", __name__, template_folder="templates", url_prefix="/admin/reference"
)


def can_read_reference(user) -> bool:
    return getattr(user, "is_active", False) and user.role in ("admin", "coordinator")


@blueprint.get("")
@permission_required(can_read_reference)
def page():
    data = reference_for(get_engine())
    language = current_language()
    countries = [
        (
            code,
            data.country_name(code, language),
            data.member_states.get(code),
            data.beneficiaries.get(code),
        )
        for code, country in sorted(data.countries.items())
        if code in data.member_states or code in data.beneficiaries
    ]
    return render_template("reference/reference.html", data=data, countries=countries)
