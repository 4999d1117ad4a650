"""The selection record page: the coordinator records eligibility and the meeting (with the
minutes uploaded in the same form); the beneficiary reads it; a Member State sees only its
own proposal's result, and only once the partner is chosen."""

import io
import re
from datetime import timedelta

from sqlalchemy import select

from tests.selection.conftest import PDF, open_call_with_bids
from twinflow.documents.models import Document
from twinflow.selection.models import SelectionRecord


def _in_selection(make, clock):
    bidding = open_call_with_bids(make, countries=("FR", "DE"))
    clock.set(bidding.project.proposal_deadline + timedelta(days=15))
    make.fire(bidding.cast.coordinator, bidding.project, "close_call")
    return bidding


def _record_everything(browser, bidding, clock):
    pid, (fr, de) = bidding.project.id, bidding.proposals.values()
    page = f"/projects/{pid}/selection"
    for proposal in (fr, de):
        answer = browser.post(
            f"/projects/{pid}/selection/eligibility/{proposal.id}",
            {f"p{proposal.id}-eligible": "yes"},
            token_from=page,
        )
        assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    form = {
        "held_on": clock.now().date().isoformat(),
        "minutes": (io.BytesIO(PDF), "minutes.pdf", "application/pdf"),
        "rows-0-proposal_id": str(fr.id),
        "rows-0-leader_present": "y",
        "rows-0-rta_present": "y",
        "rows-0-score": "91",
        "rows-0-rank": "1",
        "rows-1-proposal_id": str(de.id),
        "rows-1-leader_present": "y",
        "reserve_proposal_id": str(de.id),
        "notes": "Both presented.",
    }
    return browser.post(
        f"/projects/{pid}/selection/meeting",
        form,
        token_from=page,
        content_type="multipart/form-data",
    )


def test_the_coordinator_records_the_selection_and_the_beneficiary_reads_it(
    as_user, make, clock, session
):
    bidding = _in_selection(make, clock)
    c, pid = bidding.cast, bidding.project.id
    coordinator = as_user(c.coordinator)
    answer = _record_everything(coordinator, bidding, clock)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    record = session.scalars(select(SelectionRecord)).one()
    minutes = session.get(Document, record.minutes_document_id)
    assert (minutes.category, minutes.filename) == ("selection_minutes", "minutes.pdf")
    assert record.reserve_proposal_id == bidding.proposals["DE"].id

    page = as_user(c.beneficiary).text(f"/projects/{pid}/selection")
    assert "Germany" in page and "Reserve" in page and "leader present, RTA absent" in page
    assert "Save eligibility" not in page  # the beneficiary reads, never edits
    project_page = as_user(c.beneficiary).text(f"/projects/{pid}")
    assert "Selection record" in project_page and "reserve: Germany" in project_page


def test_a_meeting_form_without_a_date_or_minutes_is_refused_naming_the_fields(
    as_user, make, clock, session
):
    bidding = _in_selection(make, clock)
    coordinator = as_user(bidding.cast.coordinator)
    pid = bidding.project.id
    for proposal in bidding.proposals.values():
        coordinator.post(
            f"/projects/{pid}/selection/eligibility/{proposal.id}",
            {f"p{proposal.id}-eligible": "yes"},
            token_from=f"/projects/{pid}/selection",
        )
    answer = coordinator.post(
        f"/projects/{pid}/selection/meeting",
        {"held_on": ""},
        token_from=f"/projects/{pid}/selection",
    )
    assert answer.status_code == 422
    assert "This field is required." in answer.get_data(as_text=True)
    rows = {f"rows-{i}-proposal_id": str(p.id) for i, p in enumerate(bidding.proposals.values())}
    data = {"held_on": clock.now().date().isoformat()} | rows
    answer = coordinator.post(
        f"/projects/{pid}/selection/meeting", data, token_from=f"/projects/{pid}/selection"
    )
    assert answer.status_code == 422
    assert "is required" in answer.get_data(as_text=True)  # the minutes
    assert session.scalars(select(SelectionRecord)).all() == []


def test_a_member_state_sees_only_its_own_result_and_only_after_the_choice(
    as_user, make, clock, session
):
    bidding = _in_selection(make, clock)
    c, pid = bidding.cast, bidding.project.id
    _record_everything(as_user(c.coordinator), bidding, clock)
    germany = as_user(c.germany)
    assert germany.get(f"/projects/{pid}/selection").status_code == 404
    assert "Selection record" not in germany.text(f"/projects/{pid}")
    make.select(c.coordinator, bidding.project, bidding.proposals["FR"])
    asked = make.fire(c.beneficiary, bidding.project, "select_partner")
    make.engine.decide(session, c.coordinator, asked.approval.id, "approve")
    page = germany.text(f"/projects/{pid}/selection")
    # France's score (91) appears nowhere (the assets' content hashes set aside).
    page = re.sub(r"\?v=[0-9a-f]+", "", page)
    assert "Reserve" in page and "France" not in page and "91" not in page
