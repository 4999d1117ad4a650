"""Human words for codes the pages show: countries, parties, audit actions."""

COUNTRIES = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia", "CY": "Cyprus",
    "CZ": "Czechia", "DK": "Denmark", "EE": "Estonia", "FI": "Finland", "FR": "France",
    "DE": "Germany", "GR": "Greece", "HU": "Hungary", "IE": "Ireland", "IT": "Italy",
    "LV": "Latvia", "LT": "Lithuania", "LU": "Luxembourg", "MT": "Malta", "NL": "Netherlands",
    "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SK": "Slovakia", "SI": "Slovenia",
    "ES": "Spain", "SE": "Sweden",
    "AL": "Albania", "AM": "Armenia", "AZ": "Azerbaijan", "BA": "Bosnia and Herzegovina",
    "BY": "Belarus", "DZ": "Algeria", "EG": "Egypt", "GE": "Georgia", "IL": "Israel",
    "JO": "Jordan", "LB": "Lebanon", "MA": "Morocco", "MD": "Moldova", "ME": "Montenegro",
    "MK": "North Macedonia", "PS": "Palestine", "RS": "Serbia", "TN": "Tunisia",
    "TR": "Türkiye", "UA": "Ukraine", "XK": "Kosovo",
}  # fmt: skip

PARTY_LABELS = {
    "coordinator": "Coordinator (EU Delegation / contracting authority)",
    "beneficiary": "Beneficiary administration",
    "member_state": "Member State institution",
    "lead_member_state": "Lead Member State",
}

ACTION_LABELS = {
    "project_created": "Project created",
    "transition": "State changed",
    "approval_requested": "Approval requested",
    "approval_approved": "Approved",
    "approval_rejected": "Rejected",
    "proposal_submitted": "Proposal submitted",
    "proposal_updated": "Proposal amended",
    "proposal_selected": "Proposal marked as selected",
    "user_created": "User created",
    "user_deactivated": "User deactivated",
    "user_reactivated": "User reactivated",
    "user_role_changed": "Role changed",
    "user_password_reset": "Password reset",
}


def country_name(code: str | None) -> str:
    if not code:
        return "—"
    return COUNTRIES.get(code.upper(), code.upper())
