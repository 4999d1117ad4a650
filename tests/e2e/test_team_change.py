"""A team change in a real browser: both project leaders agree a side letter replacing the
Member State project leader from a date ten days ahead, the coordinator approves it, and the
team page shows the new leader only from that date, the earlier one kept until the day before."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.conftest import SCREENSHOTS
from twinflow.auth.operations import create_user
from twinflow.demo_data import DEMO_PASSWORD
from twinflow.projects.models import Project

pytestmark = pytest.mark.browser
TITLE = "Strengthening the penitentiary and probation system"
PROPOSED = "Luc Moreau takes over from Jeanne Martin"


def _change(page):
    return page.locator("article.record", has=page.get_by_role("heading", name=PROPOSED))


def _leaders(page):
    return page.locator("tr[data-testid='member-ms_project_leader']")


def test_a_side_letter_replaces_the_member_state_leader_from_its_effective_date(
    person, session, clock, backend
):
    project_id = session.scalar(select(Project.id).where(Project.title == TITLE))
    create_user(
        session,
        email="luc.moreau@twinflow.demo",
        password=DEMO_PASSWORD,
        role="member_state",
        organisation="Ministère de la Justice",
        country="FR",
        name="Luc Moreau",
        now=clock.now(),
        hash_method="pbkdf2:sha256:1000",
        check_strength=False,  # the demo's published password, as its other accounts
    )
    effective = (clock.now() + timedelta(days=10)).date()

    leader = person("justice.ge@twinflow.demo")
    page = leader.go(f"/projects/{project_id}/changes")
    page.get_by_label("Kind").select_option("side_letter")
    page.get_by_label("Title").fill(PROPOSED)
    page.get_by_label("Justification").fill("Jeanne Martin moves to another ministry.")
    page.get_by_label("Replace").select_option("ms_project_leader")
    page.get_by_label("Takes the role on").fill(effective.isoformat())
    page.get_by_label("New person's name").fill("Luc Moreau")
    page.get_by_label("New person's e-mail").fill("luc.moreau@twinflow.demo")
    page.get_by_role("button", name="Propose the change").click()
    expect(page.locator(".flash-success")).to_contain_text("Change proposed")
    _change(page).get_by_role("button", name="Agree the side letter").click()
    expect(page.locator(".flash-success")).to_contain_text("waiting for: Lead Member State")
    # The other leader's approval card shows the leader now and with the side letter.
    inbox = person("france@twinflow.demo").go("/approvals")
    card = inbox.locator("section.approval", has=inbox.get_by_text(PROPOSED))
    expect(card.get_by_test_id("before-after")).to_contain_text("Jeanne Martin")
    expect(card.get_by_test_id("before-after")).to_contain_text("Luc Moreau, from")
    if backend == "sqlite":
        card.screenshot(path=str(SCREENSHOTS / "approval-side-letter.png"))

    # Luc Moreau is not the leader yet: he is told who agrees instead of a button.
    luc = person("luc.moreau@twinflow.demo")
    page = luc.go(f"/projects/{project_id}/changes")
    expect(_change(page)).to_contain_text(
        "Only the Member State project leader, Jeanne Martin, or their deputy can agree the "
        "side letter."
    )
    expect(_change(page).get_by_role("button", name="Agree the side letter")).to_have_count(0)

    france = person("france@twinflow.demo")
    page = france.go(f"/projects/{project_id}/changes")
    _change(page).get_by_role("button", name="Agree the side letter").click()
    expect(page.locator(".flash-success")).to_contain_text("is now agreed by the project leaders")
    coordinator = person("delegation@twinflow.demo")
    page = coordinator.go(f"/projects/{project_id}/changes")
    _change(page).get_by_role("button", name="Approve the side letter").click()
    expect(page.locator(".flash-success")).to_contain_text("is now approved")
    expect(_change(page)).to_contain_text("Jeanne Martin → Luc Moreau")

    # Before the effective date Jeanne Martin is the current leader, Luc Moreau is to come.
    page = france.go(f"/projects/{project_id}/team")
    expect(_leaders(page)).to_have_count(2)
    current = _leaders(page).filter(has=page.get_by_test_id("current"))
    expect(current).to_contain_text("Jeanne Martin")

    clock.set(clock.now().replace(year=effective.year, month=effective.month, day=effective.day))
    page = luc.go(f"/projects/{project_id}/team")
    current = _leaders(page).filter(has=page.get_by_test_id("current"))
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Luc Moreau")
    expect(_leaders(page).filter(has_text="Jeanne Martin")).to_contain_text("until")
    luc.screenshot("team-change.png", backend)
