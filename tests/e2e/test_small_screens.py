"""A phone 390 px wide, in English and in French: the top bar's links fold behind a Menu button
that opens by keyboard, the project list keeps each project's reference, title and state in
view without scrolling sideways, and the Gantt chart scrolls inside its card at a legible size.
The dashboard and a project page are photographed at 1366 and 390 px in both languages."""

import pytest
from sqlalchemy import select

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import Session
from tests.e2e.keyboard import Keyboard
from tests.e2e.test_accessibility import LANGUAGES, sign_in
from twinflow.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("language", LANGUAGES)]
PHONE = 390
IN_IMPLEMENTATION = "Strengthening the penitentiary and probation system"

SIDEWAYS = "document.scrollingElement.scrollWidth"


@pytest.fixture
def phone(chromium, live):
    opened = []

    def open_window(email: str, language: str, width: int = PHONE) -> Session:
        window = Session(chromium, live, width, locale=LANGUAGES[language])
        opened.append(window)
        sign_in(window, email)
        return window

    yield open_window
    for window in opened:
        window.close()


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    return box


def test_the_menu_folds_on_a_phone_and_opens_by_keyboard(phone, language):
    me = phone("delegation@twinflow.demo", language)
    page = me.page
    toggle, nav = page.locator(".nav-toggle"), page.locator("#mainnav")
    assert toggle.is_visible() and not nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    # The bar takes one row: brand and Menu button side by side.
    assert _box(page.locator(".topbar"))["height"] < 80
    keys = Keyboard(page)
    keys.tab_to(".nav-toggle")
    keys.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav.is_visible() and page.locator("#usernav").is_visible()
    keys.tab_to("#mainnav a[href='/projects']")  # the next stops are the menu's links
    assert page.evaluate(SIDEWAYS) <= PHONE
    keys.press("Escape")
    assert not nav.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('nav-toggle')")
    keys.press("Space")  # a button: Space opens it as well as Enter
    assert nav.is_visible()
    assert_accessible(page, "coordinator 390px", language)

    wide = phone("delegation@twinflow.demo", language, width=1366)
    assert not wide.page.locator(".nav-toggle").is_visible()
    assert wide.page.locator("#mainnav").is_visible()


def test_the_project_list_shows_reference_title_and_state_on_a_phone(phone, language):
    me = phone("delegation@twinflow.demo", language)
    page = me.go("/projects")
    assert page.evaluate(SIDEWAYS) <= PHONE
    rows = page.locator("table.projects tbody tr")
    assert rows.count() >= 8
    for index in range(rows.count()):
        row = rows.nth(index)
        for cell in (row.get_by_test_id("ref"), row.locator("td").nth(1), row.locator(".badge")):
            box = _box(cell)
            assert cell.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    # Nothing to scroll inside the card either: the whole row is on the screen.
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert_accessible(page, "coordinator 390px", language)


def test_the_gantt_chart_scrolls_within_its_card_at_a_legible_size(phone, session, language):
    project = session.scalar(select(Project).where(Project.title == IN_IMPLEMENTATION))
    me = phone("justice.ge@twinflow.demo", language)
    page = me.go(f"/projects/{project.id}/activities")
    assert page.evaluate(SIDEWAYS) <= PHONE
    wrap = page.locator(".gantt-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    # Drawn at its own size, not shrunk: the activity labels keep their 12 px.
    drawn = page.locator("svg.gantt").evaluate(
        "svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width"
        " * parseFloat(getComputedStyle(svg.querySelector('.g-label')).fontSize)"
    )
    assert drawn >= 12
    # The card scrolls by keyboard too (it takes the focus; arrows move it).
    keys = Keyboard(page)
    keys.tab_to(".gantt-wrap")
    for _ in range(5):
        keys.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.gantt-wrap').scrollLeft > 0")
    assert_accessible(page, "beneficiary 390px", language)


def test_the_dashboard_and_a_project_page_at_1366_and_390_px(phone, session, language, backend):
    project = session.scalar(select(Project).where(Project.title == IN_IMPLEMENTATION))
    for width in (1366, PHONE):
        me = phone("delegation@twinflow.demo", language, width=width)
        for name, path in (("dashboard", "/"), ("project-page", f"/projects/{project.id}")):
            page = me.go(path)
            assert page.evaluate(SIDEWAYS) <= width, f"{path} scrolls sideways at {width} px"
            assert_accessible(page, f"coordinator {width}px", language)
            if name == "dashboard":
                _overdue_in_words(page, language)
            me.screenshot(f"{name}-{language}-{width}.png", backend)


def _overdue_in_words(page, language: str) -> None:
    """Colour is never the only signal: an overdue deadline's red row says so in words."""
    overdue = page.locator(".deadlines li.overdue")
    assert overdue.count() >= 1
    for row in overdue.all():
        words = row.locator(".due strong").inner_text().strip()
        assert words == "Overdue" if language == "en" else words
