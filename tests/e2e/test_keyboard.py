"""The main jobs of each role done with the keyboard alone, in English and in French: Tab and
Shift+Tab to move, Enter and Space to act, typing into fields. Every focus stop must show
its focus, and every page the job passes through is checked by axe-core (0 serious or
critical violations). Elements are found by what does not change with the language: field
names, form actions, the lifecycle's trigger names."""

import pytest
from sqlalchemy import select

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import SCREENSHOTS, Session
from tests.e2e.keyboard import Keyboard
from tests.e2e.test_accessibility import LANGUAGES
from twinflow.auth.models import User
from twinflow.demo_data import DEMO_PASSWORD
from twinflow.projects.models import Project
from twinflow.proposals.models import Proposal
from twinflow.proposals.operations import select_proposal

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("language", LANGUAGES)]


class KeyboardUser:
    """A person at a browser who never touches the mouse."""

    def __init__(self, chromium, live, email: str, role: str, language: str):
        self.window = Session(chromium, live, locale=LANGUAGES[language])
        self.page = self.window.page
        self.keys = Keyboard(self.page)
        self.role, self.language = role, language
        self.window.go("/login")
        self.checked()
        self.keys.fill("input[name=email]", email)
        self.keys.fill("input[name=password]", DEMO_PASSWORD)
        self.submit("Enter")  # Enter in a field sends its form
        assert "/login" not in self.page.url

    def checked(self) -> None:
        assert_accessible(self.page, f"{self.role} (keys)", self.language)

    def submit(self, key: str = "Enter") -> None:
        """Press a key that sends the page elsewhere, and check the page it lands on."""
        with self.page.expect_navigation():
            self.keys.press(key)
        self.checked()

    def follow(self, selector: str) -> None:
        self.keys.tab_to(selector)
        self.submit("Enter")

    def open_action(self, trigger: str) -> str:
        """Open the folded form of a step of the lifecycle; returns its selector."""
        action = f"details[data-trigger={trigger}]"
        self.keys.activate(f"{action} > summary")
        assert self.page.locator(action).get_attribute("open") is not None
        return action

    def close(self) -> None:
        assert self.keys.stops > 5, "the walk checked almost no focus stop"
        self.window.close()


@pytest.fixture
def by_keyboard(chromium, live):
    opened = []

    def sign_in(email: str, role: str, language: str) -> KeyboardUser:
        user = KeyboardUser(chromium, live, email, role, language)
        opened.append(user)
        return user

    yield sign_in
    for user in opened:
        user.close()


def _project(session, title: str) -> Project:
    return session.scalar(select(Project).where(Project.title == title))


def _state(session, project: Project) -> str:
    session.expire_all()
    return session.get(Project, project.id).state


def test_a_beneficiary_submits_its_returned_fiche_by_keyboard(by_keyboard, session, language):
    project = _project(session, "Reform of the probation service")
    me = by_keyboard("justice.ge@twinflow.demo", "beneficiary", language)
    me.follow("nav a[href='/projects']")
    me.follow(f"main a[href='/projects/{project.id}']")
    action = me.open_action("submit_fiche")
    me.keys.fill(f"{action} textarea[name$=comment]", "Objectives now measurable.")
    me.keys.tab_to(f"{action} button[type=submit]")
    me.submit("Space")
    assert _state(session, project) == "fiche_review"
    assert me.page.locator("[data-testid=project-state].state-fiche_review").is_visible()


def test_a_coordinator_approves_a_fiche_and_opens_the_call_by_keyboard(
    by_keyboard, session, language
):
    project = _project(session, "Customs risk management")
    me = by_keyboard("delegation@twinflow.demo", "coordinator", language)
    me.follow("nav a[href='/projects']")
    me.follow(f"main a[href='/projects/{project.id}']")
    action = me.open_action("approve_fiche")
    button = f"{action} button[type=submit]"
    # Past the comment to the button, then back with Shift+Tab to write the comment.
    me.keys.tab_to(button)
    me.keys.fill(f"{action} textarea[name$=comment]", "In line with the programming.", True)
    me.keys.tab_to(button)
    me.submit("Enter")
    assert _state(session, project) == "call_open"
    assert me.page.locator("[data-testid=project-state].state-call_open").is_visible()


def test_a_member_state_submits_a_proposal_by_keyboard(by_keyboard, session, language):
    project = _project(session, "Air quality monitoring in line with the EU acquis")
    me = by_keyboard("germany@twinflow.demo", "member_state", language)
    me.follow("nav a[href='/calls']")
    me.follow(f"main a[href='/calls/{project.id}/proposal']")
    me.keys.fill("input[name=project_leader]", "Karl Weber")
    me.keys.fill("input[name=rta_name]", "Anna Schmidt")
    me.keys.tab_to("input[name=junior_member_states][value=AT]")
    me.keys.press("Space")  # ticks Austria as a junior partner
    me.keys.fill("textarea[name=summary]", "Federal environment agency experts.")
    me.keys.tab_to("main form button[type=submit]")
    me.submit("Enter")
    proposal = session.scalar(
        select(Proposal).where(Proposal.project_id == project.id, Proposal.member_state == "DE")
    )
    assert (proposal.project_leader, proposal.junior_member_states) == ("Karl Weber", ["AT"])
    assert me.page.locator("[data-testid=proposal-status]").is_visible()


def test_a_coordinator_approves_the_partner_from_the_inbox_by_keyboard(
    by_keyboard, app, session, language, backend
):
    project = _project(session, "Support to the Legal Aid Service")
    owner = session.scalar(select(User).where(User.email == "justice.ge@twinflow.demo"))
    proposal = session.scalar(select(Proposal.id).where(Proposal.project_id == project.id))
    engine = app.extensions["twinflow.engine"]
    with app.app_context():  # the beneficiary asked to select the partner
        select_proposal(session, engine, owner, project.id, proposal)
        engine.fire(session, owner, project.id, "select_partner")

    me = by_keyboard("delegation@twinflow.demo", "coordinator", language)
    me.follow("nav a[href='/approvals']")
    card = me.page.locator("section.approval", has=me.page.locator(f"a[href$='/{project.id}']"))
    if language == "en" and backend == "sqlite":  # committed from one run only
        card.screenshot(path=str(SCREENSHOTS / "approval-card.png"))
    form = "form[action^='/approvals/']"
    me.keys.fill(f"{form} textarea[name=comment]", "Best on quality; agreed.")
    me.keys.tab_to(f"{form} button[value=approve]")
    me.submit("Enter")
    assert _state(session, project) == "work_plan"


def test_an_administrator_deactivates_a_user_by_keyboard(by_keyboard, session, language):
    who = session.scalar(select(User).where(User.email == "lithuania@twinflow.demo"))
    me = by_keyboard("admin@twinflow.demo", "admin", language)
    me.follow("nav a[href='/admin/users']")
    me.follow(f"main a[href='/admin/users/{who.id}']")
    me.follow(f"a[href='/admin/users/{who.id}/deactivate']")
    # The confirmation step names the user; nothing has changed yet.
    session.expire_all()
    assert session.get(User, who.id).is_active is True
    me.keys.tab_to("[data-testid=confirm]")
    me.submit("Enter")
    session.expire_all()
    assert session.get(User, who.id).is_active is False
    assert me.page.locator(".badge-muted").is_visible()
