"""The actor filters read the events of the addresses a text matches (twinflow/audit/actors.py):
exactly the events the plain test on every event's actor_email gives, for the audit log, its
CSV export and the API, including addresses kept as written at the time (another case, an
address since changed), wildcards typed as text and events without an actor."""

import csv
import io
import re
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from sqlalchemy import and_, func, select

from tests.api.conftest import ApiClient
from tests.web.conftest import Browser
from twinflow.audit import actors, views
from twinflow.audit.models import AuditEvent
from twinflow.audit.operations import append_event
from twinflow.projects.models import Project

# As the trail keeps them: the same person in two cases, addresses holding the LIKE wildcards
# and the escape character, one not ASCII.
WRITTEN = [
    "Nino@Justice.gov.ge",
    "nino@justice.gov.ge",
    "o_o@x.eu",
    "oxo@x.eu",
    "100%@x.eu",
    "100a@x.eu",
    "a/b@x.eu",
    "élodie@x.fr",
    "ÉLODIE@x.fr",
    None,  # a system event
]
TEXTS = [
    "nobody-at-all",  # no one
    "NINO@JUSTICE.GOV.GE",  # one person, two cases as written
    "o_o",  # "_" is a character, not any character
    "_",
    "100%",  # "%" likewise
    "%",
    "/",  # the escape character itself
    "a/b",
    "x.eu",  # many people
    "@",  # everyone with an address
    "élodie",
    "ÉLO",
    "  justice ",  # trimmed
]


@pytest.fixture
def trail(make, session, clock):
    admin = make.user("admin")
    nino = make.user("beneficiary", country="GE", email="nino@justice.gov.ge")
    make.project(nino)
    for n, email in enumerate(WRITTEN * 4):
        actor = None if email is None else SimpleNamespace(id=None, email=email)
        append_event(session, action="user_created", now=clock.now(), actor=actor, data={"n": n})
    session.commit()
    return admin


def plain(session, test) -> list[int]:
    """The events as read before: the test on every event's actor_email."""
    query = select(AuditEvent.seq).where(test(AuditEvent.actor_email)).order_by(AuditEvent.seq)
    return session.scalars(query).all()


def log_and_export(browser, **filters) -> tuple[int, list[int]]:
    """The count the log says and the events its CSV export holds; the log's pages, read one
    by one, list the same events newest first."""
    query = urlencode(filters)
    page = browser.text(f"/admin/audit?{query}")
    count = int(re.search(r"(\d+) events? match", page).group(1))
    export = browser.get(f"/admin/audit/export.csv?{query}").get_data(as_text=True)
    exported = [int(row["seq"]) for row in csv.DictReader(io.StringIO(export))]
    listed = []
    for number in range(1, -(-count // views.PER_PAGE) + 1):
        page = browser.text(f"/admin/audit?{query}&page={number}")
        listed += [int(seq) for seq in re.findall(r'<td class="num">(\d+)</td>', page)]
    assert listed == exported[::-1], filters
    return count, exported


@pytest.mark.parametrize("walked", ["listed", "too many addresses", "too many matches"])
def test_the_audit_log_and_its_export_show_what_the_plain_substring_test_shows(
    app, trail, session, monkeypatch, walked
):
    monkeypatch.setattr(views, "PER_PAGE", 3)  # pages of 3: the merge of later pages too
    if walked == "too many addresses":
        monkeypatch.setattr(actors, "WALKED", 3)
    if walked == "too many matches":
        monkeypatch.setattr(actors, "LISTED", 1)
    browser = Browser(app).sign_in(trail)
    for text in TEXTS:
        expected = plain(session, lambda email, t=text.strip(): email.icontains(t, autoescape=True))
        count, exported = log_and_export(browser, actor=text)
        assert (count, exported) == (len(expected), expected), text
    assert log_and_export(browser, actor="x.eu")[0] == 20  # five addresses, 4 events each
    assert log_and_export(browser, actor="o_o")[0] == 4  # one address: 2 pages
    assert log_and_export(browser, actor="nobody-at-all") == (0, [])


def test_the_walk_gives_each_matching_address_once_or_says_it_was_cut(trail, session, monkeypatch):
    emails = actors.matching_emails(session, lambda email: email.icontains("nino"))
    # Both cases as written (PostgreSQL's and SQLite's orders of them differ).
    assert sorted(emails) == ["Nino@Justice.gov.ge", "nino@justice.gov.ge"]
    assert actors.matching_emails(session, lambda email: email.icontains("nobody")) == []
    monkeypatch.setattr(actors, "WALKED", 3)
    assert actors.matching_emails(session, lambda email: email.icontains("nino")) is None


def test_the_actor_filter_with_the_others_shows_what_it_showed(
    app, trail, session, clock, monkeypatch
):
    monkeypatch.setattr(views, "PER_PAGE", 3)
    browser = Browser(app).sign_in(trail)
    project = session.scalars(select(Project)).one()
    day = clock.now().date().isoformat()  # every event of the trail is of this day
    others = [
        ({"action": "user_created"}, AuditEvent.action == "user_created"),
        ({"action": "project_created"}, AuditEvent.action == "project_created"),
        ({"project": project.reference}, AuditEvent.project_id == project.id),
        ({"date_from": day, "date_to": day}, True),
        ({"action": "user_created", "date_from": day}, AuditEvent.action == "user_created"),
    ]
    for text in ("nino", "x.eu", "%"):
        for filters, clause in others:
            expected = plain(
                session,
                lambda email, t=text, c=clause: and_(email.icontains(t, autoescape=True), c),
            )
            shown = log_and_export(browser, actor=text, **filters)
            assert shown == (len(expected), expected), (text, filters)


def test_the_apis_actor_filter_is_the_whole_address_in_any_case_as_before(app, trail, session):
    client = ApiClient(app.test_client()).as_(trail)
    client.get("/audit")  # the token's sign-in event is written before the comparisons
    session.commit()
    for text in ("NINO@justice.gov.ge", "nino", "o_o@x.eu", "100%@x.eu", "a/b@x.eu", "nobody"):
        address = text.strip().lower()
        expected = plain(session, lambda email, a=address: func.lower(email) == a)
        assert expected or "@" not in text  # a part of an address names no one here
        response = client.get(f"/audit?{urlencode({'actor': text, 'per_page': 100})}")
        assert response.status_code == 200
        assert [e["seq"] for e in response.json] == expected, text
        assert response.headers["X-Total-Count"] == str(len(expected))
