"""A project's management mode, from the fiche: under direct management the EU Delegation is
the contracting authority; under indirect management the contracting authority (CFCU or
contracting agency) of the beneficiary country is, and is named on the project."""

from twinflow.i18n import gettext as _
from twinflow.organisations.models import Organisation

MODES = {"direct": "Direct management", "indirect": "Indirect management"}


def management_problems(session, values: dict, country: str, errors: dict):
    """(mode, contracting authority) from the values; a problem goes into `errors`."""
    mode = values.get("management_mode") or "direct"
    authority_id = values.get("contracting_authority_id")
    if mode not in MODES:
        errors["management_mode"] = [_("must be one of: %(values)s", values=", ".join(MODES))]
        return mode, None
    if mode == "direct":
        if authority_id:
            errors["contracting_authority_id"] = [
                _(
                    "only under indirect management: under direct management the EU "
                    "Delegation contracts"
                )
            ]
        return mode, None
    if not authority_id:
        errors["contracting_authority_id"] = [_("is required under indirect management")]
        return mode, None
    authority = session.get(Organisation, authority_id)
    if authority is None or authority.kind != "contracting_authority":
        errors["contracting_authority_id"] = [
            _(
                "no contracting authority %(id)s (an organisation of that kind)",
                id=authority_id,
            )
        ]
        return mode, None
    if country and authority.country != country:
        errors["contracting_authority_id"] = [
            _(
                "%(name)s is not the contracting authority of %(country)s",
                name=authority.name,
                country=country,
            )
        ]
    return mode, authority
