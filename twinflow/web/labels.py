"""Human words for codes the pages show: countries, parties, audit actions, project figures."""

from twinflow.reference import default_reference

PARTY_LABELS = {
    "coordinator": "Coordinator (EU Delegation / contracting authority)",
    "beneficiary": "Beneficiary administration",
    "member_state": "Member State institution",
    "lead_member_state": "Lead Member State",
    "contracting_authority": "Contracting authority",
    "delegation": "EU Delegation (endorsement)",
}

ACTION_LABELS = {
    "project_created": "Project created",
    "imported": "Imported from an earlier record",
    "particulars_updated": "Particulars corrected",
    "transition": "State changed",
    "workflow_migrated": "Moved to another version of its lifecycle",
    "approval_requested": "Approval requested",
    "approval_approved": "Approved",
    "approval_rejected": "Rejected",
    "proposal_submitted": "Proposal submitted",
    "proposal_updated": "Proposal amended",
    "proposal_selected": "Proposal marked as selected",
    "proposal_call_forwarded": "Call forwarded by the National Contact Point",
    "user_created": "User created",
    "user_deactivated": "User deactivated",
    "user_reactivated": "User reactivated",
    "user_role_changed": "Role changed",
    "user_details_changed": "Name or e-mail changed",
    "user_password_reset": "Password reset",
    # implementation records
    "component_added": "Component added",
    "result_added": "Mandatory result added",
    "indicator_added": "Indicator added",
    "indicator_value_recorded": "Indicator value recorded",
    "activity_planned": "Activity planned",
    "activity_updated": "Activity updated",
    "team_member_added": "Team member added",
    "steering_meeting_recorded": "Steering committee meeting recorded",
    "project_figures_changed": "Project figures changed",
    "document_uploaded": "Document uploaded",
    "document_downloaded": "Document downloaded",
    "document_integrity_failed": "Document failed its integrity check",
}
# The figures a side letter or an addendum changes, as the pages name them (the record pages
# word every refusal that names one with these: records/views.py).
CHANGE_LABELS = {
    "extend_months": "Extension (months)",
    "budget_eur": "EU budget (EUR)",
    "reallocation_eur": "Reallocation (EUR)",
    "implementation_end": "Implementation end",
    "implementation_months": "Implementation (months)",
    "ms_project_leader": "Member State project leader",
    "bc_project_leader": "Beneficiary's project leader",
    "rta": "Resident Twinning Adviser",
    "rta_secondment_end": "RTA secondment end",
    "rta_not_extended_because": "RTA secondment not extended because",
}
RECORD_KINDS = {"report": "Report", "side_letter": "Side letter", "addendum": "Addendum"}
for _kind, _name in RECORD_KINDS.items():
    ACTION_LABELS |= {
        f"{_kind}_created": f"{_name} drafted",
        f"{_kind}_updated": f"{_name} edited",
        f"{_kind}_signed": f"{_name} signed",
        f"{_kind}_submit": f"{_name} submitted",
        f"{_kind}_approve": f"{_name} approved",
        f"{_kind}_return": f"{_name} returned for revision",
        f"{_kind}_reject": f"{_name} rejected",
    }


def country_name(code: str | None) -> str:
    """The country's name from the reference data (pycountry's, EU codes beside it)."""
    return default_reference().country_name(code)
