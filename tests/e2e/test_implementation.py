"""Implementation in a real browser: a project leader drafts a report and uploads its file, both
leaders sign, the coordinator approves, and the progress view shows it."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from twinflow.projects.models import Project

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TITLE = "Strengthening the penitentiary and probation system"


def _report(page, label: str):
    return page.locator("article.record", has=page.get_by_role("heading", name=label))


def test_a_leader_uploads_a_report_the_coordinator_approves_it_and_progress_shows_it(
    person, session, backend, tmp_path
):
    project_id = session.scalar(select(Project.id).where(Project.title == TITLE))
    leader = person("justice.ge@twinflow.demo")
    page = leader.go(f"/projects/{project_id}")
    page.locator("nav.tabs").get_by_role("link", name="Reports").click()
    page.get_by_label("Kind").select_option("interim")
    page.get_by_label("Quarter (interim reports)").fill("2")
    page.get_by_label("Summary").fill("By-laws of the probation law drafted.")
    page.get_by_role("button", name="Draft the report").click()
    expect(page.locator(".flash-success")).to_contain_text("Report drafted")

    upload = tmp_path / "interim-report-2.pdf"
    upload.write_bytes(PDF)
    report = _report(page, "Interim report 2")
    report.get_by_label("Attach the report file to interim report 2").set_input_files(upload)
    report.get_by_role("button", name="Upload").click()
    expect(page.locator(".flash-success")).to_have_text("Uploaded interim-report-2.pdf.")
    report = _report(page, "Interim report 2")
    expect(report.get_by_role("link", name="interim-report-2.pdf")).to_be_visible()
    report.get_by_role("button", name="Sign and submit the report").click()
    expect(page.locator(".flash-success")).to_contain_text("waiting for: Lead Member State")

    france = person("france@twinflow.demo")
    page = france.go(f"/projects/{project_id}/reports")
    _report(page, "Interim report 2").get_by_role(
        "button", name="Sign and submit the report"
    ).click()
    expect(page.locator(".flash-success")).to_contain_text("Interim report 2 is now submitted")

    coordinator = person("delegation@twinflow.demo")
    page = coordinator.go(f"/projects/{project_id}/reports")
    report = _report(page, "Interim report 2")
    with page.expect_download() as download:
        report.get_by_role("link", name="interim-report-2.pdf").click()
    assert download.value.suggested_filename == "interim-report-2.pdf"
    report.get_by_label(re.compile("Comment on “Approve the report”")).fill("Well documented.")
    report.get_by_role("button", name="Approve the report").click()
    expect(page.locator(".flash-success")).to_contain_text("Interim report 2 is now approved")
    expect(_report(page, "Interim report 2").locator(".badge").first).to_have_text("Approved")

    page.locator("nav.tabs").get_by_role("link", name="Progress").click()
    expect(page.get_by_test_id("reports-approved")).to_have_text("2 of 2 drafted")
    expect(page.get_by_test_id("progress-reports")).to_contain_text("Interim report 2 Approved")
    expect(page.get_by_test_id("overall-percent")).to_contain_text("%")
    expect(page.get_by_test_id("gantt")).to_be_visible()
    coordinator.screenshot("progress-view.png", backend)


def test_a_report_approved_by_its_own_author_is_not_offered_and_the_reason_is_shown(
    person, session
):
    project_id = session.scalar(select(Project.id).where(Project.title == TITLE))
    coordinator = person("delegation@twinflow.demo")
    page = coordinator.go(f"/projects/{project_id}/reports")
    page.get_by_label("Quarter (interim reports)").fill("2")
    page.get_by_role("button", name="Draft the report").click()
    for email in ("justice.ge@twinflow.demo", "france@twinflow.demo"):
        signer = person(email).go(f"/projects/{project_id}/reports")
        _report(signer, "Interim report 2").get_by_role(
            "button", name="Sign and submit the report"
        ).click()
        expect(signer.locator(".flash-success")).to_be_visible()
    page = coordinator.go(f"/projects/{project_id}/reports")
    report = _report(page, "Interim report 2")
    expect(report.get_by_role("button", name="Approve the report")).to_have_count(0)
    expect(report).to_contain_text(
        "Approve the report: You wrote, edited or signed it: another user must take this step."
    )
