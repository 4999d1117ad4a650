"""Every page every demo role can reach, taken from the app's URL map as tests/security does,
checked by axe-core for WCAG 2.1 A/AA in English and in French (the browser's preferred
language): no serious or critical violation anywhere. The report of each page is printed at the
end of the run (tests/e2e/conftest.py)."""

import re

import pytest
from sqlalchemy import select

from tests.e2e.axe import check_page, describe
from tests.e2e.conftest import Session
from twinflow.auth.models import User
from twinflow.demo_data import DEMO_PASSWORD
from twinflow.notifications.mail_queue import queue_pending_mails
from twinflow.notifications.models import OutboxEmail
from twinflow.projects.models import Project
from twinflow.projects.permissions import public_clause, visible_projects_clause
from twinflow.proposals.models import Proposal
from twinflow.proposals.operations import select_proposal

pytestmark = pytest.mark.browser

# One account per kind of user of the demo (twinflow/demo_guide.py says who each one is).
ROLES = {
    "coordinator": "delegation@twinflow.demo",  # DG NEAR headquarters: every country
    "delegation": "delegation.ge@twinflow.demo",  # the EU Delegation to Georgia
    "cfcu": "cfcu@twinflow.demo",  # a contracting authority under indirect management
    "beneficiary": "justice.ge@twinflow.demo",
    "member_state": "france@twinflow.demo",
    "ncp": "ncp.fr@twinflow.demo",
    "admin": "admin@twinflow.demo",
    "anonymous": None,
}
LANGUAGES = {"en": "en-GB", "fr": "fr-FR"}
IN_SELECTION = "Support to the Legal Aid Service"  # the beneficiary's, proposals received
RETURNED_FICHE = "Reform of the probation service"  # the beneficiary's, returned with comments

# GET routes that answer with something other than a page: files, images, feeds, probes.
NOT_PAGES = re.compile(
    r"\.(csv|xlsx|ics|pdf)$|/download$|<variant>$|<path:filename>$|^/(healthz|readyz|metrics)$|^/language/"
)
# Pages whose forms and sections change with the project's state: walked on one project per
# state the role can see. The project's other pages (its records, the fiche's print view) are
# walked on two of those: the first and the last the demo seeded, in different stages.
BY_STATE = {
    "/projects/<int:project_id>",
    "/projects/<int:project_id>/fiche",
    "/projects/<int:project_id>/selection",
    "/calls/<int:project_id>/proposal",
}


def page_rules(app) -> list[str]:
    """Every GET route of the web UI that answers with an HTML page."""
    rules = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.rule.startswith("/api/")
        and not NOT_PAGES.search(rule.rule)
    }
    return sorted(rules)


def _values(session, user) -> dict[str, list]:
    """Real ids of the demo for each URL parameter: one project per state the user can see
    (each state shows other forms and sections), and one of everything else."""
    where = visible_projects_clause(user) if user is not None else public_clause()
    projects = {}
    for project in session.scalars(select(Project).where(where).order_by(Project.id)):
        projects.setdefault(project.state, project.id)
    public = session.scalars(select(Project.id).where(public_clause()).order_by(Project.id))
    return {
        "project_id": sorted(projects.values()),
        "public_project_id": list(public)[:2],
        "user_id": [session.scalar(select(User.id).where(User.role == "member_state"))],
        "email_id": [session.scalar(select(OutboxEmail.id).order_by(OutboxEmail.id))],
        "number": [1],
    }


def _paths(rule: str, values: dict) -> list[str]:
    names = re.findall(r"<(?:[^<>]*:)?(\w+)>", rule)
    if not names:
        return [rule]
    (name,) = set(names) - {"number"} or {"number"}
    key = "public_project_id" if rule.startswith("/public/") else name
    chosen = values[key]
    if key == "project_id" and rule not in BY_STATE:
        chosen = sorted({chosen[0], chosen[-1]})
    return [
        re.sub(
            r"<(?:[^<>]*:)?(\w+)>",
            lambda m, v=value: str(v if m.group(1) == name else values[m.group(1)][0]),
            rule,
        )
        for value in chosen
    ]


def sign_in(window: Session, email: str) -> None:
    """By the fields' names, not their labels: the same in every language."""
    page = window.go("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def _walk(window, live, rules, values, kind, checked) -> tuple[set[str], dict[str, list]]:
    """Every page of `rules` this window's user can open, checked by axe: (the rules walked,
    the blocking violations by page)."""
    walked, blocking = set(), {}
    for rule in rules:
        for path in _paths(rule, values):
            if rule.startswith("/projects/<") and (kind, path) in checked:
                continue
            response = window.page.goto(live + path)
            if response.status != 200 or not response.url.endswith(path):
                continue  # not this user's page (refused, or sent to sign in)
            assert "text/html" in response.headers["content-type"], path
            walked.add(rule)
            checked.add((kind, path))
            found = check_page(window.page, window.role, window.language)
            if found:
                blocking[f"{window.role} {path}"] = found
    return walked, blocking


def _pending_approval(app, session) -> None:
    """An approval card in the coordinators' inbox: the beneficiary marks a proposal of its
    project in selection and asks to select that partner."""
    project = session.scalar(select(Project).where(Project.title == IN_SELECTION))
    owner = session.scalar(select(User).where(User.email == ROLES["beneficiary"]))
    proposal = session.scalar(select(Proposal.id).where(Proposal.project_id == project.id))
    engine = app.extensions["twinflow.engine"]
    with app.app_context():
        select_proposal(session, engine, owner, project.id, proposal)
        engine.fire(session, owner, project.id, "select_partner")


def _one_step_later(app, session) -> int:
    """The comparison of two fiche revisions exists only once a returned fiche is submitted
    again: the beneficiary of the demo's returned fiche resubmits it."""
    project = session.scalar(select(Project).where(Project.title == RETURNED_FICHE))
    owner = session.scalar(select(User).where(User.email == ROLES["beneficiary"]))
    with app.app_context():
        app.extensions["twinflow.engine"].fire(session, owner, project.id, "submit_fiche")
    return project.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_of_any_role_has_a_serious_accessibility_violation(
    chromium, live, app, session, language
):
    # The e-mails of the demo's notifications, as the scheduler queues them: the outbox pages.
    queue_pending_mails(session, app.extensions["twinflow.engine"].clock.now())
    _pending_approval(app, session)
    rules = page_rules(app)
    walked: dict[str, set[str]] = {}
    blocking: dict[str, list] = {}
    # A project's page already checked as the same kind of user (coordinators of headquarters,
    # of a Delegation and of a CFCU; two Member State accounts) is not checked again; the pages
    # that are each user's own (dashboard, calls, approvals, notifications) always are.
    checked: set[tuple[str, str]] = set()
    windows = {}
    for role, email in ROLES.items():
        user = session.scalar(select(User).where(User.email == email)) if email else None
        window = windows[role] = Session(chromium, live, locale=LANGUAGES[language])
        window.role, window.language = role, language
        if email:
            sign_in(window, email)
        kind = user.role if user else "anonymous"
        walked[role], found = _walk(window, live, rules, _values(session, user), kind, checked)
        blocking |= found
    project_id = _one_step_later(app, session)
    for role in ("beneficiary", "coordinator"):
        values = {"project_id": [project_id], "number": [2]}
        diff = ["/projects/<int:project_id>/fiche/diff"]
        more, found = _walk(windows[role], live, diff, values, role, checked)
        walked[role] |= more
        blocking |= found
    for window in windows.values():
        window.close()

    print(f"\naxe walk ({language}): " + ", ".join(f"{r} {len(w)}" for r, w in walked.items()))
    if blocking:
        pytest.fail(describe(blocking), pytrace=False)
    # Every page of the app was walked by at least one role, and each role saw its own.
    assert set().union(*walked.values()) == set(rules)
    public = {"/login", "/public/projects", "/public/projects/<int:project_id>"}
    assert walked["anonymous"] == public
    assert {"/admin/users/<int:user_id>", "/admin/outbox/<int:email_id>"} <= walked["admin"]
    assert "/calls/<int:project_id>/proposal" in walked["member_state"]
    assert "/projects/<int:project_id>/selection" in walked["beneficiary"]
    assert "/projects/<int:project_id>/fiche/diff" in walked["beneficiary"]
