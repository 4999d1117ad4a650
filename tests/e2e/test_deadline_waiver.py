"""A coordinator waives a deadline from the project page in a real browser, with a reason."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.conftest import SCREENSHOTS
from twinflow.deadlines.models import Deadline
from twinflow.projects.models import Project

pytestmark = pytest.mark.browser
TITLE = "Strengthening the penitentiary and probation system"


def test_a_coordinator_waives_a_deadline_from_the_project_page(person, session, backend):
    project_id = session.scalar(select(Project.id).where(Project.title == TITLE))
    coordinator = person("delegation@twinflow.demo")
    page = coordinator.go(f"/projects/{project_id}")
    deadlines = page.locator("section[aria-labelledby='deadlines-h']")
    listed = deadlines.locator("li.deadline").count()
    first = deadlines.locator("li.deadline").first
    title = first.locator(".what").inner_text().split("(")[0].strip()
    first.get_by_text("Waive or move").click()
    first.get_by_label("Reason for the waiver").fill(
        "Covered by the steering committee minutes of this quarter."
    )
    if backend == "sqlite":  # the deadline list alone: the page around it is in other shots
        deadlines.screenshot(path=str(SCREENSHOTS / "deadline-waiver.png"))
    first.get_by_role("button", name="Waive this deadline").click()
    expect(page.locator(".flash-success")).to_contain_text(f"Waived: {title}.")
    expect(deadlines.locator("li.deadline")).to_have_count(listed - 1)  # no longer open

    waived = session.scalars(
        select(Deadline).where(Deadline.project_id == project_id, Deadline.status == "waived")
    ).all()
    assert [d.title for d in waived] == [title]
    assert waived[0].decision_reason.startswith("Covered by the steering committee minutes")

    leader = person("justice.ge@twinflow.demo")
    page = leader.go(f"/projects/{project_id}")
    expect(page.get_by_text("Waive or move")).to_have_count(0)
