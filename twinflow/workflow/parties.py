"""The parties a definition may name, and who counts as each on a given project."""

from dataclasses import dataclass

from twinflow.projects.permissions import covers_country

# Every party a definition may name under `roles`; anything else is a definition error.
PARTY_KINDS = {
    "coordinator": "EU Delegation, Commission or contracting authority staff",
    "beneficiary": "a user of the project's beneficiary administration",
    "member_state": "any Member State institution (answers calls)",
    "lead_member_state": "the selected lead Member State of the project",
}


@dataclass(frozen=True)
class ProjectParties:
    """What party membership depends on beyond the user: the project and its selected lead MS."""

    beneficiary_country: str
    beneficiary_institution: str | None  # None: an imported record that names none yet
    lead_member_state: str | None


def parties_of(user, who: ProjectParties) -> list[str]:
    """The parties this user acts as on the project, in a stable order."""
    if user is None or not user.is_active:
        return []
    found = []
    # A coordinator acts only where its organisation covers the beneficiary country.
    if user.role == "coordinator" and covers_country(user, who.beneficiary_country):
        found.append("coordinator")
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


def parties_on(user, project) -> list[str]:
    """The parties this user acts as on the project, its lead partner read off the project
    row (set when select_partner applies, never when a proposal is merely marked)."""
    who = ProjectParties(
        project.beneficiary_country, project.beneficiary_institution, project.lead_member_state
    )
    return parties_of(user, who)


# How a party is named in sentences ("waiting for: Lead Member State").
PARTY_NAMES = {
    "coordinator": "Coordinator",
    "beneficiary": "Beneficiary",
    "member_state": "Member State",
    "lead_member_state": "Lead Member State",
}


def party_name(party: str) -> str:
    return PARTY_NAMES.get(party, party.replace("_", " "))
