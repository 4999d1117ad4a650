"""Calendars: a secret, revocable feed URL per user and an .ics per project, both parsing with
icalendar and carrying each deadline at its UTC time."""

from datetime import UTC

import pytest
from icalendar import Calendar
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from tests.factories import Cast
from twinflow.deadlines.models import CalendarToken
from twinflow.deadlines.reads import open_deadlines


def _client(app, user=None):
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as s:
            s["_user_id"], s["_fresh"], s["csrf_token"] = user.get_id(), True, "raw-csrf"
    return client


def _csrf(app) -> dict:
    token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps("raw-csrf")
    # A script asks for JSON; the page's form gets a message and a redirect instead.
    return {"X-CSRFToken": token, "Accept": "application/json"}


def _events(body: bytes) -> dict:
    calendar = Calendar.from_ical(body)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def cast(make):
    cast = Cast(make)
    cast.to("implementation")
    return cast


def test_a_users_feed_lists_their_deadlines_at_the_right_utc_times(app, cast, session):
    client = _client(app, cast.beneficiary)
    issued = client.post("/calendar/subscription", headers=_csrf(app))
    assert issued.status_code == 201
    url = issued.get_json()["url"]
    assert url.startswith("http://twinflow.test/calendar/") and url.endswith(".ics")

    feed = _client(app).get(url.removeprefix("http://twinflow.test"))  # no session: a calendar app
    assert feed.status_code == 200
    assert feed.mimetype == "text/calendar"
    events = _events(feed.data)
    project = cast.project
    expected = open_deadlines(session, project.id)
    assert len(events) == len(expected) == 17
    for deadline in expected:
        event = events[f"[{project.reference}] {deadline.title}"]
        start = event.decoded("DTSTART")
        assert start == deadline.due_at and start.tzinfo is not None
        assert start.utcoffset().total_seconds() == 0
        assert f"projects/{project.id}" in str(event["URL"])
    assert b"DTSTART:" in feed.data and b"Z\r\n" in feed.data  # written as UTC, not floating


def test_the_feed_keeps_only_a_hash_and_revoking_it_cuts_the_url_off(app, cast, session):
    client = _client(app, cast.coordinator)
    url = client.post("/calendar/subscription", headers=_csrf(app)).get_json()["url"]
    secret = url.rsplit("/", 1)[1].removesuffix(".ics")
    stored = session.scalars(select(CalendarToken.token_hash)).all()
    assert stored and secret not in stored
    path = url.removeprefix("http://twinflow.test")
    assert _client(app).get(path).status_code == 200

    assert client.post("/calendar/subscription/revoke", headers=_csrf(app)).get_json() == {
        "revoked": 1
    }
    assert _client(app).get(path).status_code == 404
    # Issuing again gives a new URL; the old one stays dead.
    new = client.post("/calendar/subscription", headers=_csrf(app)).get_json()["url"]
    assert new != url and _client(app).get(path).status_code == 404
    assert _client(app).get("/calendar/not-a-token.ics").status_code == 404


def test_a_feed_url_cannot_be_issued_without_signing_in_or_without_the_csrf_token(app, cast):
    assert _client(app).post("/calendar/subscription").status_code in (400, 401)
    assert _client(app, cast.beneficiary).post("/calendar/subscription").status_code == 400


def test_a_member_state_not_chosen_sees_only_the_calls_it_may_answer(app, make, cast, session):
    other = make.project(cast.beneficiary)
    make.fire(cast.beneficiary, other, "submit_fiche")
    make.fire(cast.coordinator, other, "approve_fiche")
    client = _client(app, cast.germany)
    url = client.post("/calendar/subscription", headers=_csrf(app)).get_json()["url"]
    events = _events(_client(app).get(url.removeprefix("http://twinflow.test")).data)
    # Germany was not selected on the first project; every Member State is told of a call.
    assert list(events) == [f"[{other.reference}] Member State proposals due"]
    assert events[list(events)[0]].decoded("DTSTART") == other.proposal_deadline.astimezone(UTC)


def test_a_project_ics_is_offered_to_those_who_may_see_the_project(app, cast, make):
    path = f"/projects/{cast.project.id}/deadlines.ics"
    response = _client(app, cast.beneficiary).get(path)
    assert response.status_code == 200
    assert len(_events(response.data)) == 17
    assert (
        "attachment" in response.headers["Content-Disposition"]
        or "inline" in (response.headers["Content-Disposition"])
    )
    assert _client(app, cast.other_beneficiary).get(path).status_code == 404
    signed_out = _client(app).get(path)
    assert signed_out.status_code == 302 and signed_out.location.startswith("/login")
    assert _client(app, cast.beneficiary).get("/projects/999999/deadlines.ics").status_code == 404
