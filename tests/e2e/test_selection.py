"""The selection in a real browser: the coordinator records each proposal's eligibility, then
the meeting (attendance, minutes uploaded, scores, a reserve), marks the chosen proposal and
asks for the selection; it applies once the beneficiary signs off, and every bidder is told."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.selection.conftest import PDF
from twinflow.auth.models import User
from twinflow.notifications.models import Notification
from twinflow.projects.operations import create_project
from twinflow.proposals.operations import submit_proposal

pytestmark = pytest.mark.browser
TITLE = "Judicial training academy"


@pytest.fixture
def in_selection(live, app, session, clock):
    """A Georgian Twinning whose call closed with bids from France, Germany and Lithuania."""
    engine = app.extensions["twinflow.engine"]
    users = {u.email.split("@")[0]: u for u in session.scalars(select(User))}
    beneficiary, coordinator = users["justice.ge"], users["delegation"]
    project = create_project(
        session, engine, beneficiary,
        dict(title=TITLE, workflow="twinning", sector="JH", instrument="ENI",
             budget_eur=1_300_000, implementation_months=24),
    )  # fmt: skip
    engine.fire(session, beneficiary, project.id, "submit_fiche")
    engine.fire(session, coordinator, project.id, "approve_fiche")
    for name in ("france", "germany", "lithuania"):
        ms = users[name]
        values = dict(project_leader=ms.name, rta_name=f"RTA of {ms.country}", summary="Peers.")
        submit_proposal(session, engine, ms, project.id, values)
    clock.set(project.proposal_deadline + timedelta(days=15))
    engine.fire(session, coordinator, project.id, "close_call")
    return project.id, users


def test_a_coordinator_records_the_selection_and_it_applies_after_the_beneficiarys_sign_off(
    person, in_selection, session, backend, clock
):
    project_id, users = in_selection
    coordinator = person("delegation@twinflow.demo")
    page = coordinator.go(f"/projects/{project_id}")
    page.get_by_role("link", name="Edit the selection record").click()
    expect(page.get_by_role("heading", name="Selection record")).to_be_visible()
    expect(page.get_by_text("Record the eligibility of every proposal first.")).to_be_visible()

    for country, eligible in (("FR", True), ("DE", True), ("LT", False)):
        cell = page.get_by_test_id(f"eligibility-{country}")
        cell.locator("summary", has_text="Record eligibility").click()
        form = page.get_by_test_id(f"eligibility-form-{country}")
        form.get_by_role(
            "radio", name="Eligible" if eligible else "Not eligible", exact=True
        ).check()
        if not eligible:
            form.get_by_label("Reason (required when not eligible)").fill(
                "Neither a public administration nor a mandated body."
            )
        form.get_by_role("button", name="Save eligibility").click()
        expect(page.locator(".flash-success")).to_have_text("Eligibility recorded.")
    expect(page.get_by_test_id("eligibility-LT")).to_contain_text("Not eligible")

    meeting = page.get_by_test_id("meeting-form")
    meeting.get_by_label("Held on").fill((clock.now() - timedelta(days=1)).date().isoformat())
    meeting.get_by_label("Minutes (a file)").set_input_files(
        files=[{"name": "selection-minutes.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    for country, rta, score, rank in (("FR", True, "88", "1"), ("DE", False, "74", "2")):
        row = meeting.get_by_test_id(f"row-{country}")
        row.get_by_label("Project leader present").check()
        if rta:
            row.get_by_label("Proposed RTA present").check()
        row.get_by_label("Score (0-100)").fill(score)
        row.get_by_label("Rank").fill(rank)
    meeting.get_by_label("Reserve Member State").select_option(label="Germany")
    meeting.get_by_role("button", name="Record the meeting").click()
    expect(page.locator(".flash-success")).to_have_text("Selection recorded.")
    expect(page.get_by_test_id("reserve")).to_have_text("Germany")
    coordinator.screenshot("selection-record.png", backend)

    page = coordinator.go(f"/projects/{project_id}")
    expect(page.get_by_test_id("selection-summary")).to_contain_text("reserve: Germany")
    page.locator("#proposals tr", has_text="France").get_by_role(
        "button", name="Mark as selected"
    ).click()
    page.locator("summary", has_text="Select the Member State partner").click()
    page.get_by_role("button", name="Ask for approval: Select the Member State partner").click()
    expect(page.get_by_test_id("project-state")).to_have_text("Selection")

    beneficiary = person("justice.ge@twinflow.demo")
    page = beneficiary.page
    page.get_by_role("link", name="Approvals", exact=True).click()
    card = page.locator("section.approval", has_text=TITLE)
    card.get_by_role("button", name="Approve").click()
    expect(page.locator(".flash-success")).to_contain_text("Approved by everyone")
    page = beneficiary.go(f"/projects/{project_id}")
    expect(page.get_by_test_id("project-state")).to_have_text("Work plan")
    expect(page.get_by_test_id("partner")).to_have_text("France (lead)")

    germany = person("germany@twinflow.demo")
    page = germany.go(f"/projects/{project_id}/selection")
    expect(page.get_by_test_id("own-outcome")).to_contain_text("Reserve")
    expect(page.locator("main")).not_to_contain_text("France")
    told = session.scalars(
        select(Notification.user_id).where(
            Notification.kind == "selection_result", Notification.project_id == project_id
        )
    ).all()
    # Every user of each bidding Member State (France's National Contact Point too), once.
    bidders = {users[n].country for n in ("france", "germany", "lithuania")}
    expected = [u.id for u in users.values() if u.role == "member_state" and u.country in bidders]
    assert sorted(told) == sorted(expected)
