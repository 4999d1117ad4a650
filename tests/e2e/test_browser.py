"""The daily work, done in a real browser and checked by what the page shows afterwards."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from twinflow.audit.models import AuditEvent
from twinflow.projects.models import Project

pytestmark = pytest.mark.browser


def _project_id(session, title: str) -> int:
    return session.scalar(select(Project.id).where(Project.title == title))


def test_a_coordinator_approves_a_fiche(person, session, backend):
    me = person("delegation@twinflow.demo")
    page = me.page
    page.get_by_role("link", name="Projects", exact=True).click()
    page.get_by_role("link", name=re.compile("Fiche review")).first.click()
    page.get_by_role("link", name=re.compile(r"AM \d\d ENI FI")).first.click()
    expect(page.get_by_test_id("project-state")).to_have_text("Fiche review")
    page.locator("summary", has_text="Approve the fiche and open the call").click()
    page.get_by_label("Proposal deadline (UTC)").fill("2027-03-01T12:00")
    page.get_by_label("Comment (optional)").last.fill("Fiche in line with the programming.")
    page.get_by_role("button", name="Approve the fiche and open the call").click()
    expect(page.get_by_test_id("project-state")).to_have_text("Call open")
    expect(page.locator(".flash-success")).to_contain_text("The project is now in “Call open”")
    expect(page.locator("dd", has_text="01 Mar 2027 12:00 UTC")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("Fiche review → Call open")


def test_a_member_state_institution_submits_a_proposal(person, session):
    me = person("germany@twinflow.demo")
    page = me.page
    page.get_by_role("link", name="Calls", exact=True).click()
    row = page.get_by_role("row", name=re.compile("Air quality monitoring"))
    row.get_by_role("link", name="Write a proposal").click()
    page.get_by_label("Member State project leader").fill("Karl Weber")
    page.get_by_label("Resident Twinning Adviser (RTA)").fill("Anna Schmidt")
    page.get_by_label("Austria").check()
    page.get_by_label("Summary of the proposal").fill("Federal environment agency experts.")
    page.get_by_role("button", name="Submit the proposal").click()
    expect(page.locator(".flash-success")).to_contain_text("Your proposal was submitted")
    expect(page.get_by_test_id("proposal-status")).to_contain_text("Submitted")
    page.get_by_role("link", name="Calls", exact=True).click()
    row = page.get_by_role("row", name=re.compile("Air quality monitoring"))
    expect(row).to_contain_text("Submitted")
    # France also answered this call; Germany must not learn of it anywhere on the project.
    row.get_by_role("link", name=re.compile("Air quality")).click()
    expect(page.locator("#proposals")).to_contain_text("Karl Weber")
    expect(page.locator("main")).not_to_contain_text("France")


def test_two_parties_approve_the_partner_selection(person, session):
    project_id = _project_id(session, "Support to the Legal Aid Service")
    beneficiary = person("justice.ge@twinflow.demo")
    page = beneficiary.go(f"/projects/{project_id}")
    page.get_by_role("button", name="Mark as selected").click()
    expect(page.locator("#proposals")).to_contain_text("Selected")
    page.locator("summary", has_text="Select the Member State partner").click()
    page.get_by_role("button", name="Ask for approval: Select the Member State partner").click()
    expect(page.get_by_test_id("waiting-for")).to_have_text(
        "a coordinator (EU Delegation / contracting authority)"
    )
    expect(page.get_by_test_id("project-state")).to_have_text("Selection")

    coordinator = person("delegation@twinflow.demo")
    page = coordinator.page
    page.get_by_role("link", name="Approvals", exact=True).click()
    card = page.locator("section.approval", has_text="Support to the Legal Aid Service")
    card.get_by_label("Comment (required to reject)").fill("Best on quality; agreed.")
    card.get_by_role("button", name="Approve").click()
    expect(page.locator(".flash-success")).to_contain_text("Approved by everyone")
    page = coordinator.go(f"/projects/{project_id}")
    expect(page.get_by_test_id("project-state")).to_have_text("Work plan")
    expect(page.get_by_test_id("partner")).to_have_text("France (lead)")

    page = beneficiary.go(f"/projects/{project_id}")
    expect(page.get_by_test_id("timeline")).to_contain_text("Best on quality; agreed.")


def test_an_administrator_verifies_the_audit_chain(person, session, backend):
    admin = person("admin@twinflow.demo")
    page = admin.page
    page.get_by_role("link", name="Audit log", exact=True).click()
    page.get_by_test_id("verify-chain").click()
    events = session.scalar(select(func.count(AuditEvent.id)))
    expect(page.get_by_test_id("verify-result")).to_contain_text("Chain intact.")
    expect(page.get_by_test_id("verify-result")).to_contain_text(f"{events} events checked")
    admin.screenshot("audit-log.png", backend, full_page=False)


def test_the_dashboard_and_the_project_page_with_its_rendered_diagram(person, session, backend):
    coordinator = person("delegation@twinflow.demo")
    page = coordinator.page
    expect(page.locator("#appr-h")).to_be_visible()
    expect(page.locator(".deadlines li.overdue").first).to_be_visible()
    coordinator.screenshot("dashboard.png", backend)

    project_id = _project_id(session, "Strengthening the penitentiary and probation system")
    page = coordinator.go(f"/projects/{project_id}")
    # The server drew the diagram: no script, and the states say where the project is in words.
    expect(page.locator(".diagram svg")).to_be_visible()
    expect(page.locator(".diagram svg .lc-current")).to_contain_text("now: Implementation")
    expect(page.locator(".diagram svg .lc-visited")).to_have_count(6)
    coordinator.screenshot("project-page.png", backend)

    phone = person("justice.ge@twinflow.demo", width=390)
    phone.go(f"/projects/{project_id}")
    expect(phone.page.locator(".diagram svg")).to_be_visible()
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot("project-page-phone.png", backend, full_page=False)
