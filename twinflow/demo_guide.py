"""What the demo tells its visitor about each account: who it is and what to try with it (the
console prints it; the README's "which account to use for what" says the same)."""

from sqlalchemy import select

from twinflow.auth.models import User

# What to try with each account, naming the project where each job waits (README, "which
# account to use for what", says the same).
GUIDE = {
    "admin@twinflow.demo": "users, organisations, the audit log, and the E-mail outbox, "
    "where every e-mail of the demo can be read",
    "delegation@twinflow.demo": "approve or return the "
    "fiche of “Customs risk management” (Armenia); the call in its second round of “Food "
    "safety controls along the value chain” (round 1's proposals kept)",
    "delegation.ge@twinflow.demo": "only the Georgian projects: the "
    "selection of “Support to the Legal Aid Service” (mark a proposal, approve the partner)",
    "delegation.am@twinflow.demo": "no Georgian project; the open "
    "call of “Air quality monitoring in line with the EU acquis”; the selection record of "
    "“Public procurement review body” (Germany in reserve); endorse the contract of "
    "“Modernising public internal financial control” before the CFCU signs",
    "cfcu@twinflow.demo": "contracting authority of “Modernising public internal financial "
    "control” (indirect management): sign its contract once delegation.am@ has endorsed it",
    "justice.ge@twinflow.demo": "the returned fiche of “Reform of the probation service”; "
    "reports and activities of “Strengthening the penitentiary and probation system”",
    "finance.am@twinflow.demo": "the work plan and contract of “Modernising public internal "
    "financial control”; the fiche of “Customs risk management” under review",
    "environment.md@twinflow.demo": "draft and submit the fiche of “Water basin management plans”",
    "france@twinflow.demo": "lead partner of “Strengthening the penitentiary and probation "
    "system”: co-sign its reports and side letter",
    "germany@twinflow.demo": "Calls: send a proposal to “Air quality monitoring in line with "
    "the EU acquis”",
    "lithuania@twinflow.demo": "Calls: a rival bid on the same call, which never sees France's",
    "ncp.fr@twinflow.demo": "France's National Contact Point: the call in round 2 of “Food "
    "safety controls along the value chain”, forwarded to French institutions with an earlier "
    "internal deadline",
}


def account_guide(session) -> list[tuple[str, str, str]]:
    """(e-mail, who it is, what to try) for each demo account present in the database."""
    found = {u.email: u for u in session.scalars(select(User).where(User.email.in_(GUIDE)))}
    return [
        (email, f"{found[email].display_name}, {described(found[email])}", GUIDE[email])
        for email in GUIDE  # in the order the demo seeds them, the NCP last
        if email in found
    ]


def described(user) -> str:
    """How the demo lists an account: its role, and for a coordinator what it covers."""
    organisation = user.affiliation
    role = ROLE_WORDS.get(user.role, user.role)
    if user.role != "coordinator" or organisation is None:
        return f"{role}, {user.organisation}" if user.organisation else role
    covers = "every country" if organisation.covers_all else ", ".join(organisation.countries)
    return f"{role}, {organisation.name} (sees {covers})"


ROLE_WORDS = {
    "admin": "administrator",
    "coordinator": "coordinator",
    "beneficiary": "beneficiary",
    "member_state": "Member State",
}
