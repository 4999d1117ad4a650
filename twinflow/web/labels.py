"""Human words for codes the pages show: countries, parties, audit actions, project figures."""

from collections.abc import Mapping

from twinflow.i18n import current_language, gettext, lazy_gettext
from twinflow.reference import default_reference


class Labels(Mapping):
    """English labels by code, read in the language of whoever reads them: a lookup
    (`LABELS[code]`, `.get`) gives the text now, as a plain string (JSON exports take it);
    `.items()` and `.values()` give lazy texts, for choices built at import time (a form's
    select) and read when the page is shown."""

    def __init__(self, texts: dict[str, str]):
        self.texts = texts  # the English, as marked with _() below

    def __getitem__(self, code: str) -> str:
        return gettext(self.texts[code])

    def __iter__(self):
        return iter(self.texts)

    def __len__(self) -> int:
        return len(self.texts)

    def items(self):
        return [(code, lazy_gettext(text)) for code, text in self.texts.items()]

    def values(self):
        return [lazy_gettext(text) for text in self.texts.values()]


def _(text: str) -> str:
    """Marks a text for extraction; Labels translates it when looked up."""
    return text


# The role under the user's name in the top bar (English: the code in words, as it always read).
ROLE_NAMES = {
    "admin": _("admin"),
    "coordinator": _("coordinator"),
    "beneficiary": _("beneficiary"),
    "member_state": _("member state"),
}

PARTY_LABELS = {
    "coordinator": _("Coordinator (EU Delegation / contracting authority)"),
    "beneficiary": _("Beneficiary administration"),
    "member_state": _("Member State institution"),
    "lead_member_state": _("Lead Member State"),
    "contracting_authority": _("Contracting authority"),
    "delegation": _("EU Delegation (endorsement)"),
}

ACTION_LABELS = {
    "project_created": _("Project created"),
    "imported": _("Imported from an earlier record"),
    "particulars_updated": _("Particulars corrected"),
    "transition": _("State changed"),
    "deadline_met": _("Deadline met"),
    "deadline_waived": _("Deadline waived"),
    "deadline_moved": _("Deadline moved"),
    "api_token_issued": _("API token issued"),
    "api_token_revoked": _("API token revoked"),
    "deadlines_moved_by_hold": _("Deadlines moved by the hold"),
    "fiche_edited": _("Fiche edited"),
    "image_published": _("Image published"),
    "image_uploaded": _("Image uploaded"),
    "organisation_created": _("Organisation created"),
    "particulars_changed": _("Particulars changed"),
    "proposal_eligibility_recorded": _("Proposal eligibility recorded"),
    "proposal_reserve_taken_up": _("Reserve proposal taken up"),
    "partner_team_ended": _("The withdrawn partner's team members ended"),
    "proposal_selection_recorded": _("Selection recorded"),
    "user_organisation_changed": _("Organisation of a user changed"),
    "user_password_changed": _("Password changed"),
    "workflow_migrated": _("Moved to another version of its lifecycle"),
    "approval_requested": _("Approval requested"),
    "approval_approved": _("Approved"),
    "approval_rejected": _("Rejected"),
    "proposal_submitted": _("Proposal submitted"),
    "proposal_updated": _("Proposal amended"),
    "proposal_selected": _("Proposal marked as selected"),
    "proposal_call_forwarded": _("Call forwarded by the National Contact Point"),
    "user_created": _("User created"),
    "user_deactivated": _("User deactivated"),
    "user_reactivated": _("User reactivated"),
    "user_role_changed": _("Role changed"),
    "user_details_changed": _("Name or e-mail changed"),
    "user_password_reset": _("Password reset"),
    # implementation records
    "component_added": _("Component added"),
    "result_added": _("Mandatory result added"),
    "indicator_added": _("Indicator added"),
    "indicator_value_recorded": _("Indicator value recorded"),
    "activity_planned": _("Activity planned"),
    "activity_updated": _("Activity updated"),
    "team_member_added": _("Team member added"),
    "steering_meeting_recorded": _("Steering committee meeting recorded"),
    "project_figures_changed": _("Project figures changed"),
    "document_uploaded": _("Document uploaded"),
    "document_downloaded": _("Document downloaded"),
    "document_integrity_failed": _("Document failed its integrity check"),
}
# The figures a side letter or an addendum changes, as the pages name them (the record pages
# word every refusal that names one with these: records/views.py).
CHANGE_LABELS = {
    "extend_months": _("Extension (months)"),
    "budget_eur": _("EU budget (EUR)"),
    "reallocation_eur": _("Reallocation (EUR)"),
    "implementation_end": _("Implementation end"),
    "implementation_months": _("Implementation (months)"),
    "ms_project_leader": _("Member State project leader"),
    "bc_project_leader": _("Beneficiary's project leader"),
    "rta": _("Resident Twinning Adviser"),
    "rta_secondment_end": _("RTA secondment end"),
    "rta_not_extended_because": _("RTA secondment not extended because"),
}
RECORD_KINDS = {"report": _("Report"), "side_letter": _("Side letter"), "addendum": _("Addendum")}
# Written out one by one: French agrees each participle with its record (une lettre signée).
ACTION_LABELS |= {
    "report_created": _("Report drafted"),
    "report_updated": _("Report edited"),
    "report_signed": _("Report signed"),
    "report_submit": _("Report submitted"),
    "report_approve": _("Report approved"),
    "report_return": _("Report returned for revision"),
    "report_reject": _("Report rejected"),
    "side_letter_created": _("Side letter drafted"),
    "side_letter_updated": _("Side letter edited"),
    "side_letter_signed": _("Side letter signed"),
    "side_letter_submit": _("Side letter submitted"),
    "side_letter_approve": _("Side letter approved"),
    "side_letter_return": _("Side letter returned for revision"),
    "side_letter_reject": _("Side letter rejected"),
    "addendum_created": _("Addendum drafted"),
    "addendum_updated": _("Addendum edited"),
    "addendum_signed": _("Addendum signed"),
    "addendum_submit": _("Addendum submitted"),
    "addendum_approve": _("Addendum approved"),
    "addendum_return": _("Addendum returned for revision"),
    "addendum_reject": _("Addendum rejected"),
}
PARTY_LABELS = Labels(PARTY_LABELS)
ROLE_NAMES = Labels(ROLE_NAMES)
ACTION_LABELS = Labels(ACTION_LABELS)
CHANGE_LABELS = Labels(CHANGE_LABELS)
RECORD_KINDS = Labels(RECORD_KINDS)


def country_name(code: str | None) -> str:
    """The country's name from the reference data (pycountry's, EU codes beside it), in the
    reader's language (Babel's territory names for any language but English)."""
    return default_reference().country_name(code, current_language())
