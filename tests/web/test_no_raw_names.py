"""No page a person reads shows the engine's codes: walking every page each demo role can reach
(the demo's projects: fiche drafting and review, call, selection, contracting, implementation;
and, beside the demo, projects in work plan, suspended, final reporting, closed and cancelled
walked by their own coordinator, beneficiary, lead Member State and administrator), the visible
text never contains the name of a state or a trigger of any loaded lifecycle or record workflow.

What is read is the text between the tags. Left out, because no person reads them as words or
because codes are their contract:
- attributes (href, value, title, data-*): the codes there are for the machine;
- <code>, <script>, <style> and <template> elements;
- URLs and paths written out in the text;
- the API documentation page (/api/v1/docs): it documents the codes clients send;
- responses that are not HTML pages (CSV and JSON exports, downloads, calendars)."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.factories import Cast
from tests.web.conftest import Browser
from twinflow.demo_data import DEMO_PASSWORD, seed_demo
from twinflow.extensions import db

ROLES = {
    "coordinator": "delegation@twinflow.demo",
    "beneficiary": "justice.ge@twinflow.demo",
    "member_state": "france@twinflow.demo",
    "admin": "admin@twinflow.demo",
}
# Not pages, or pages where codes are the contract (see the module docstring).
SKIPPED = re.compile(
    r"^/(api/|assets/|static/|logout)|/download|/export|\.(csv|json|ics|pdf|png|svg|txt)$"
)
# A path with many query variants (filters, pages) is read this many times, not more.
VARIANTS = 3
MAX_PAGES = 400
URL = re.compile(r"(https?://\S+|(?<!\w)/[\w./?=&%#-]+)")
HIDDEN_ELEMENTS = {"code", "script", "style", "template"}


class VisibleText(HTMLParser):
    """The text of a page as a person reads it, and the links it offers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_ELEMENTS:
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def raw_names(app) -> set[str]:
    """Every state and trigger name with an underscore, of every loaded definition."""
    registry = app.extensions["twinflow.registry"]
    definitions = [registry.current(n) for n in registry.names()]
    definitions += [registry.record(t) for t in registry.record_types()]
    names = set()
    for definition in definitions:
        names |= set(definition.states)
        names |= {t.trigger for t in definition.transitions}
    return {n for n in names if "_" in n}


def read(page: str) -> tuple[str, list[str]]:
    parser = VisibleText()
    parser.feed(page)
    text = URL.sub(" ", " ".join(parser.text))
    return text, parser.links


def walk(browser: Browser, start=("/",), within: re.Pattern | None = None) -> dict[str, str]:
    """{path: visible text} of every HTML page reachable from `start` by GET (only the paths
    `within` matches, when given)."""
    seen, variants, texts = set(start), {}, {}
    queue = deque(start)
    while queue and len(texts) < MAX_PAGES:
        path = queue.popleft()
        response = browser.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        text, links = read(response.get_data(as_text=True))
        texts[path] = text
        for link in links:
            link = urldefrag(link)[0]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if SKIPPED.search(parts.path) or link in seen:
                continue
            if within is not None and not within.match(parts.path):
                continue
            variants[parts.path] = variants.get(parts.path, 0) + 1
            if variants[parts.path] > VARIANTS:
                continue
            seen.add(link)
            queue.append(link)
    return texts


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_demo(db.session, app.extensions["twinflow.engine"], "pbkdf2:sha256:1000")
        db.session.commit()
    return app


@pytest.fixture
def elsewhere(demo, make):
    """The stages the demo has no project in, one project each, for one cast of users."""
    cast = Cast(make)
    projects = []

    def new_project():
        cast.project, cast.proposal = make.project(cast.beneficiary), None
        projects.append(cast.project)
        return cast.project

    make.fire(cast.coordinator, cast.project, "cancel", comment="Merged with another fiche.")
    projects.append(cast.project)
    for stage, then in [
        ("work_plan", None),
        ("implementation", "suspend"),
        ("final_reporting", None),
        ("closed", None),
    ]:
        project = new_project()
        cast.to(stage)
        if then:
            make.fire(cast.coordinator, project, then, comment="The ministry is reorganised.")
    make.session.commit()
    states = {p.state for p in projects}
    assert {"cancelled", "work_plan", "suspended", "final_reporting", "closed"} <= states
    return cast, projects


def _hits(word, texts, role, found):
    for path, text in texts.items():
        for match in word.finditer(text):
            context = text[max(0, match.start() - 60) : match.end() + 60]
            found.setdefault(f"{role} {path}", []).append(" ".join(context.split()))


def test_no_page_of_any_role_shows_a_state_or_trigger_name(demo, elsewhere):
    names = raw_names(demo)
    assert {"fiche_review", "submit_fiche", "final_reporting"} <= names  # the rule reads them
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    word = re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")
    found, walked = {}, {}
    for role, email in ROLES.items():
        user = type("Demo", (), {"email": email})()
        texts = walk(Browser(demo).sign_in(user, password=DEMO_PASSWORD))
        walked[role] = len(texts)
        _hits(word, texts, role, found)
    cast, projects = elsewhere
    ids = "|".join(str(p.id) for p in projects)
    within = re.compile(rf"^/projects/({ids})(/|$)")
    start = tuple(f"/projects/{p.id}" for p in projects)
    for user in (cast.coordinator, cast.beneficiary, cast.france, cast.admin):
        texts = walk(Browser(demo).sign_in(user), start, within)
        walked[f"{user.role} (other stages)"] = len(texts)
        _hits(word, texts, user.role, found)
    # Each role reached its pages: the project pages of every stage, not only the dashboard.
    assert all(count >= 10 for count in walked.values()), walked
    assert found == {}, "\n".join(f"{where}: {hits[:3]}" for where, hits in found.items())
