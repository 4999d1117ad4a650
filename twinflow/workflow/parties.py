"""The parties a definition may name, and who counts as each on a given project."""

from dataclasses import dataclass

from twinflow.i18n import gettext, lazy_gettext
from twinflow.projects.permissions import covers_country

# Every party a definition may name under `roles`; anything else is a definition error.
PARTY_KINDS = {
    "coordinator": "EU Delegation, Commission or contracting authority staff",
    "beneficiary": "a user of the project's beneficiary administration",
    "member_state": "any Member State institution (answers calls)",
    "lead_member_state": "the selected lead Member State of the project",
    # Resolved from the project's management mode: the EU Delegation (direct) or the
    # contracting authority the project names (indirect, a CFCU of the beneficiary country).
    "contracting_authority": "the project's contracting authority, by its management mode",
    # The EU Delegation (or Commission service) covering the country, never a CFCU: it
    # endorses the contracting authority's steps under indirect management.
    "delegation": "an EU Delegation or Commission service covering the beneficiary country",
}
# Organisations whose staff speak for the EU (the Delegation side), not for a CFCU.
EU_SIDE = ("eu_delegation", "commission_service")


@dataclass(frozen=True)
class ProjectParties:
    """What party membership depends on beyond the user: the project and its selected lead MS."""

    beneficiary_country: str
    beneficiary_institution: str | None  # None: an imported record that names none yet
    lead_member_state: str | None
    management_mode: str = "direct"
    contracting_authority_id: int | None = None


def parties_of(user, who: ProjectParties) -> list[str]:
    """The parties this user acts as on the project, in a stable order."""
    if user is None or not user.is_active:
        return []
    found = []
    # A coordinator acts only where its organisation covers the beneficiary country.
    if user.role == "coordinator" and covers_country(user, who.beneficiary_country):
        found.append("coordinator")
        found.extend(_contracting_sides(user, who))
    if (
        user.role == "beneficiary"
        and user.country == who.beneficiary_country
        and who.beneficiary_institution is not None
        and (user.organisation or "").casefold() == who.beneficiary_institution.casefold()
    ):
        found.append("beneficiary")
    if user.role == "member_state":
        if who.lead_member_state and user.country == who.lead_member_state:
            found.append("lead_member_state")
        found.append("member_state")
    return found


def _contracting_sides(user, who: ProjectParties) -> list[str]:
    """A covering coordinator's contracting parties: the Delegation side is `delegation`, and
    the contracting authority under direct management; under indirect management the
    contracting authority is the staff of the organisation the project names."""
    organisation = getattr(user, "affiliation", None)
    kind = organisation.kind if organisation is not None else None
    sides = ["delegation"] if kind in EU_SIDE else []
    if who.management_mode == "indirect":
        if organisation is not None and organisation.id == who.contracting_authority_id:
            sides.insert(0, "contracting_authority")
    elif kind in EU_SIDE:
        sides.insert(0, "contracting_authority")
    return sides


def project_parties(project) -> ProjectParties:
    """What party membership on this project depends on, read off its row (the lead partner
    is set when select_partner applies, never when a proposal is merely marked)."""
    return ProjectParties(
        project.beneficiary_country,
        project.beneficiary_institution,
        project.lead_member_state,
        project.management_mode or "direct",
        project.contracting_authority_id,
    )


def parties_on(user, project) -> list[str]:
    """The parties this user acts as on the project."""
    return parties_of(user, project_parties(project))


# How a party is named in sentences ("waiting for: Lead Member State"), in the reader's language.
PARTY_NAMES = {
    "coordinator": lazy_gettext("Coordinator"),
    "beneficiary": lazy_gettext("Beneficiary"),
    "member_state": lazy_gettext("Member State"),
    "lead_member_state": lazy_gettext("Lead Member State"),
    "contracting_authority": lazy_gettext("Contracting authority"),
    "delegation": lazy_gettext("EU Delegation"),
}


def party_name(party: str) -> str:
    return str(PARTY_NAMES.get(party, party.replace("_", " ")))


# "the <party>" inside a sentence ("only the coordinator and the lead Member State may ..."):
# each language puts its own article, so the article travels with the name.
_THE_PARTY = {
    "delegation": lambda: gettext("the EU Delegation"),
    "contracting_authority": lambda: gettext("the contracting authority"),
    "lead_member_state": lambda: gettext("the lead Member State"),
    "member_state": lambda: gettext("the Member State"),
    "beneficiary": lambda: gettext("the beneficiary"),
    "coordinator": lambda: gettext("the coordinator"),
}


def the_party(party: str) -> str:
    said = _THE_PARTY.get(party)
    return said() if said else party_name(party)
