"""The fiche in a real browser: a beneficiary drafts it and submits it, the coordinator
returns it with a comment on a section, the beneficiary revises and resubmits, and the change
between the two revisions is shown."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from twinflow.projects.models import Project

pytestmark = pytest.mark.browser
TITLE = "Water basin management plans"  # a demo project still in fiche drafting


def _submit(page, project_id):
    page.goto(page.url.split("/projects/")[0] + f"/projects/{project_id}")
    page.locator("summary", has_text="Submit the fiche for review").click()
    page.get_by_role("button", name="Submit the fiche for review").click()
    expect(page.get_by_test_id("project-state")).to_have_text("Fiche review")


def test_a_fiche_is_drafted_returned_with_comments_revised_and_resubmitted(
    person, session, backend
):
    project_id = session.scalar(select(Project.id).where(Project.title == TITLE))
    beneficiary = person("environment.md@twinflow.demo")
    page = beneficiary.go(f"/projects/{project_id}")
    page.get_by_test_id("fiche-link").click()
    page.get_by_label("2. Context and rationale").fill(
        "River basin plans exist for the Prut only; the Dniester has none."
    )
    page.get_by_label("3.1 Overall objective").fill("Better water quality.")
    page.get_by_label("4. Components, mandatory results and indicators").fill(
        "Planning\n- Basin management plans adopted\n  * Two plans adopted by the Government"
    )
    page.get_by_role("button", name="Save the fiche").click()
    expect(page.locator(".flash-success")).to_have_text("Fiche saved.")
    _submit(page, project_id)

    coordinator = person("delegation@twinflow.demo")
    page = coordinator.go(f"/projects/{project_id}/fiche")
    expect(page.get_by_test_id("section-context")).to_contain_text("Prut only")
    page.get_by_label("Comment on 3.1 Overall objective").fill(
        "Say which water bodies reach good status, and by when."
    )
    page.get_by_label("Why the fiche goes back").fill("The objective is not measurable.")
    page.get_by_role("button", name="Return the fiche").click()
    expect(page.locator(".flash-success")).to_contain_text("went back to the beneficiary")
    expect(page.get_by_test_id("project-state")).to_have_text("Fiche drafting")

    page = beneficiary.go(f"/projects/{project_id}/fiche")
    expect(page.get_by_test_id("comment-overall_objective")).to_contain_text(
        "which water bodies reach good status"
    )
    objective = page.get_by_label("3.1 Overall objective")
    expect(objective).to_have_value("Better water quality.")
    objective.fill("Good status for 60% of the Dniester's water bodies by 2030.")
    page.get_by_role("button", name="Save the fiche").click()
    expect(page.locator(".flash-success")).to_have_text("Fiche saved.")
    beneficiary.screenshot("fiche-editor.png", backend)
    _submit(page, project_id)

    page = beneficiary.go(f"/projects/{project_id}/fiche")
    expect(page.get_by_test_id("revisions")).to_contain_text("returned")
    expect(page.get_by_test_id("revisions")).to_contain_text("in review")
    page.get_by_test_id("diff-2").click()
    diff = page.get_by_test_id("fiche-diff")
    expect(diff.locator("del")).to_have_text(["Better water quality."])
    expect(diff.locator("ins")).to_have_text(
        ["Good status for 60% of the Dniester's water bodies by 2030."]
    )
    expect(diff).not_to_contain_text("Prut only")  # unchanged sections are left out
    beneficiary.screenshot("fiche-revision-diff.png", backend)

    pdf = page.request.get(beneficiary.base + f"/projects/{project_id}/fiche/revisions/2.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
