"""Browser tests: the app served by a real HTTP server thread on loopback, driven by Debian's
Chromium through Playwright, on the demo data (every role, projects in several stages)."""

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.e2e.axe import AXE_VERSION, REPORT
from twinflow.demo_data import DEMO_PASSWORD, seed_demo

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def live(app, session):
    """Base URL of the app with the demo data, served on a random free port."""
    with app.app_context():  # the demo's documents go to the app's storage
        seed_demo(session, app.extensions["twinflow.engine"], "pbkdf2:sha256:1000")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


class Session:
    """One person at one browser window."""

    def __init__(self, browser, base: str, width: int = 1366, locale: str | None = None):
        # The locale is the browser's Accept-Language, which chooses the page's language.
        self.context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def go(self, path: str):
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, path
        return self.page

    def sign_in(self, email: str):
        page = self.go("/login")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_selector("h1:has-text('Good day')")
        return self

    def sign_out(self):
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_selector("h1:has-text('Sign in')")

    def screenshot(self, name: str, backend: str, full_page: bool = True):
        # Written from one backend only, so the committed images do not flip between runs.
        if backend == "sqlite":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)

    def close(self):
        assert not self.errors, f"JavaScript errors on the page: {self.errors}"
        self.context.close()


@pytest.fixture
def person(chromium, live):
    opened = []

    def open_window(email: str | None = None, width: int = 1366) -> Session:
        window = Session(chromium, live, width)
        opened.append(window)
        return window.sign_in(email) if email else window

    yield open_window
    for window in opened:
        window.close()


def pytest_terminal_summary(terminalreporter):
    """The axe report of every page checked in this run (tests/e2e/axe.py)."""
    if REPORT:
        terminalreporter.section(f"axe-core {AXE_VERSION}: WCAG 2.1 A/AA, nodes by impact")
        for line in REPORT:
            terminalreporter.write_line(line)
