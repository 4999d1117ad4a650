"""The approvals inbox: each card says what is asked in words (the Member State chosen, the
contract's partner), who asked and when, who has approved and who is still awaited."""

import html
import re
from datetime import timedelta

from twinflow.web.filters import fmt_datetime


def _card(page: str) -> str:
    """The text of the only approval card, tags and runs of white space removed."""
    (card,) = re.findall(r'<section class="card approval".*?</section>', page, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", card)).split())


def _between(text: str, first: str, last: str) -> str:
    return text.split(first, 1)[1].split(last, 1)[0].strip()


def _partner_selection_asked(cast, make, comment="France fits best."):
    project = cast.to("selection")
    make.select(cast.beneficiary, project, cast.proposal)
    return make.fire(cast.beneficiary, project, "select_partner", comment=comment)


def test_a_partner_selection_card_names_the_member_state_the_requester_and_who_is_awaited(
    cast, make, as_user
):
    asked = _partner_selection_asked(cast, make)
    card = _card(as_user(cast.coordinator).text("/approvals"))
    assert "Select France (FR) as lead Member State" in card
    when = fmt_datetime(asked.approval.created_at)
    assert f"Asked by {cast.beneficiary.display_name} on {when}" in card
    assert "France fits best." in card
    approved = _between(card, "Approved by", "Still awaited")
    assert approved == (
        "Beneficiary administration (Ministry of Justice of Georgia) — "
        f"{cast.beneficiary.display_name}, {when}"
    )
    awaited = _between(card, "Still awaited", "Comment (required to reject)")
    assert awaited == "Coordinator (EU Delegation / contracting authority) — your decision"


def test_a_partner_selection_card_reads_as_sentences_with_parties_in_proper_case(
    cast, make, as_user
):
    _partner_selection_asked(cast, make, comment="France fits best.")
    card = _card(as_user(cast.coordinator).text("/approvals"))
    assert " . " not in card and not re.search(r"(^|\s)\.", card)
    assert "eu delegation" not in card and "lead member state" not in card
    assert "You decide as" not in card
    # The coordinator is awaited once, not also named as the one deciding.
    assert card.count("Coordinator (EU Delegation / contracting authority)") == 1


def test_a_contract_signature_card_names_the_partner_and_the_proposed_start(cast, make, as_user):
    project = cast.to("work_plan")
    make.fire(cast.beneficiary, project, "submit_contract")
    start = make.clock.now() + timedelta(days=14)
    make.fire(
        cast.coordinator,
        project,
        "sign_contract",
        data={"implementation_start": start.isoformat()},
    )
    card = _card(as_user(cast.france).text("/approvals"))
    assert "Sign the contract with France (FR), lead Member State" in card
    assert f"Implementation start (UTC) {fmt_datetime(start)}" in card
    approved = _between(card, "Approved by", "Still awaited")
    # Direct management: the coordinator signed as the contracting authority.
    assert approved.startswith(f"Contracting authority — {cast.coordinator.display_name}")
    awaited = _between(card, "Still awaited", "Comment (required to reject)")
    assert awaited == "Lead Member State (France) — your decision"


def test_each_card_has_its_own_comment_field_for_its_label(cast, make, as_user):
    _partner_selection_asked(cast, make)
    second = make.project(cast.beneficiary, title="Support to the courts")
    make.fire(cast.beneficiary, second, "submit_fiche")
    make.fire(cast.coordinator, second, "approve_fiche")
    proposal = make.proposal(cast.france, second)
    make.clock.set(second.proposal_deadline + timedelta(minutes=1))
    make.fire(cast.coordinator, second, "close_call")
    make.select(cast.beneficiary, second, proposal)
    make.fire(cast.beneficiary, second, "select_partner")
    page = as_user(cast.coordinator).text("/approvals")
    ids = re.findall(r'<textarea[^>]*id="([^"]+)"', page)
    labels = re.findall(r'<label for="([^"]+)">Comment', page)
    assert len(ids) == 2 and len(set(ids)) == 2 and sorted(labels) == sorted(ids)


def test_asking_for_an_approval_says_who_is_awaited_in_proper_case(cast, make, as_user):
    project = cast.to("selection")
    make.select(cast.beneficiary, project, cast.proposal)
    b = as_user(cast.beneficiary)
    page = b.text(f"/projects/{project.id}")
    assert (
        "needs the approval of Beneficiary administration and Coordinator "
        "(EU Delegation / contracting authority)" in html.unescape(page)
    )
    form = re.search(r'actions/select_partner".*?</form>', page, re.S).group(0)
    data = dict(re.findall(r'name="([\w-]+)" type="hidden" value="([^"]*)"', form))
    response = b.post(f"/projects/{project.id}/actions/select_partner", data)
    assert response.status_code == 302
    flashes = re.findall(r'class="flash flash-\w+"[^>]*>([^<]*)<', b.text(response.location))
    assert (
        "Approval requested: select the Member State partner. Now waiting for: "
        "Coordinator (EU Delegation / contracting authority)."
    ) in [html.unescape(f) for f in flashes]


def test_rejecting_in_the_inbox_closes_the_request_and_tells_the_requester(
    cast, make, as_user, session
):
    asked = _partner_selection_asked(cast, make)
    coordinator = as_user(cast.coordinator)
    reason = "The proposed RTA is seconded for too short a time."
    response = coordinator.post(
        f"/approvals/{asked.approval.id}/decide",
        {"decision": "reject", "comment": reason},
        token_from="/approvals",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    inbox = coordinator.text(response.headers["Location"])
    assert "You rejected the request; the requester is told." in inbox
    assert "Nothing waits for your decision" in inbox
    session.refresh(asked.approval)
    assert asked.approval.status == "rejected"
    [decision] = [d for d in asked.approval.decisions if d.user_id == cast.coordinator.id]
    assert (decision.decision, decision.comment) == ("reject", reason)
    told = as_user(cast.beneficiary).text("/notifications")
    assert "was rejected" in told and reason in told


def test_a_report_signed_by_one_leader_waits_in_the_others_inbox_and_is_submitted_from_there(
    cast, make, as_user, session
):
    """Co-signatures are sign-offs like approvals: one inbox, one dashboard list."""
    from twinflow.reports import operations as reports
    from twinflow.reports.models import Report
    from twinflow.workflow.durations import add_months

    project = cast.to("implementation")
    report = reports.create_report(
        session, make.engine, cast.france, project.id, {"kind": "interim", "number": 1}
    )
    make.clock.set(add_months(project.implementation_start, 3) + timedelta(days=1))
    reports.submit_report(session, make.engine, cast.france, report.id)

    beneficiary = as_user(cast.beneficiary)
    assert "Sign and submit the report" in _card(beneficiary.text("/approvals"))
    assert "Submit" in beneficiary.text("/")  # the dashboard's list of what waits
    signoff_id = re.search(r"/approvals/(\d+)/decide", beneficiary.text("/approvals")).group(1)
    response = beneficiary.post(
        f"/approvals/{signoff_id}/decide", {"decision": "approve"}, token_from="/approvals"
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    session.expire_all()
    assert session.get(Report, report.id).state == "submitted"
    assert "Nothing waits for your decision" in beneficiary.text("/approvals")
