"""In a real browser on the demo: the Georgian Delegation opens the Legal Aid selection and is
told to mark a proposal; the link takes it to the proposals. Screenshots of the banner and of
the outbox page an administrator reads the demo's e-mails on."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.conftest import SCREENSHOTS
from twinflow.projects.models import Project

pytestmark = pytest.mark.browser
SELECTION = "Support to the Legal Aid Service"


def test_the_delegation_is_told_to_mark_a_proposal_and_the_link_leads_there(
    person, session, backend
):
    project_id = session.scalar(select(Project.id).where(Project.title == SELECTION))
    delegation = person("delegation.ge@twinflow.demo")
    item = delegation.page.get_by_test_id("next-step").filter(has_text=SELECTION)
    expect(item).to_contain_text("Mark the proposal you choose (1 received)")

    page = delegation.go(f"/projects/{project_id}")
    banner = page.get_by_test_id("what-next")
    expect(banner).to_contain_text("Next for you: Mark the proposal you choose")
    if backend == "sqlite":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        delegation.page.set_viewport_size({"width": 1366, "height": 520})
        page.screenshot(path=str(SCREENSHOTS / "what-next.png"))
    banner.get_by_role("link", name="Do it now").click()
    expect(page).to_have_url(f"{delegation.base}/projects/{project_id}#proposals")

    bidder = person("france@twinflow.demo")
    waiting = bidder.go(f"/projects/{project_id}").get_by_test_id("what-next")
    expect(waiting).to_contain_text("Next: Waiting for a coordinator and the beneficiary")


def test_an_administrator_reads_the_demo_emails_in_the_outbox(person, session, backend):
    from twinflow.notifications.models import OutboxEmail

    if session.scalar(select(OutboxEmail.id).limit(1)) is None:
        # The demo's scheduler queues the e-mails; here one stands for them.
        session.add(
            OutboxEmail(
                to_address="justice.ge@twinflow.demo",
                subject="The fiche was returned",
                body_text="Dear Nino Beridze,\nthe fiche was returned with comments.",
            )
        )
        session.commit()
    admin = person("admin@twinflow.demo")
    page = admin.go("/admin/outbox")
    expect(page.get_by_role("heading", name="E-mail outbox")).to_be_visible()
    admin.screenshot("outbox.png", backend, full_page=False)
    page.locator("table.outbox a").first.click()
    expect(page.get_by_test_id("outbox-body")).not_to_be_empty()
