"""The calendar exports speak their reader's language: a feed its owner's (a calendar app sends
no preference of theirs), a project's .ics the requesting browser's; English stays as it was."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from tests.deadlines.test_calendar import _client, _csrf
from tests.factories import Cast
from twinflow.deadlines.reads import open_deadlines


@pytest.fixture
def cast(make):
    cast = Cast(make)
    cast.to("implementation")
    return cast


def _calendar(body: bytes):
    calendar = Calendar.from_ical(body)
    return calendar, {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_a_french_users_feed_names_its_deadlines_in_french_and_says_which_are_overdue(
    app, cast, session, clock
):
    cast.beneficiary.language = "fr"
    session.commit()
    url = _client(app, cast.beneficiary).post("/calendar/subscription", headers=_csrf(app))
    path = url.get_json()["url"].removeprefix("http://twinflow.test")
    first = min(open_deadlines(session, cast.project.id), key=lambda d: d.due_at)
    clock.set(first.due_at + timedelta(days=1))
    # The calendar app asks in English: the feed's owner chose French.
    feed = _client(app).get(path, headers={"Accept-Language": "en"})
    calendar, events = _calendar(feed.data)
    assert str(calendar["X-WR-CALNAME"]).startswith("Échéances twinflow - ")
    reference = cast.project.reference
    assert f"[{reference}] Rapport intermédiaire (trimestriel) 1" in events
    overdue = [s for s in events if s.startswith("EN RETARD : ")]
    assert overdue and all(s.startswith(f"EN RETARD : [{reference}] ") for s in overdue)
    description = str(events[overdue[0]]["DESCRIPTION"])
    assert f"pour le projet {cast.project.title} ({reference})." in description
    assert not [s for s in events if "report" in s.lower() or "OVERDUE" in s]


def test_a_project_ics_reads_in_the_language_the_browser_asks_for(app, cast):
    path = f"/projects/{cast.project.id}/deadlines.ics"
    reference = cast.project.reference
    client = _client(app, cast.beneficiary)
    calendar, events = _calendar(client.get(path, headers={"Accept-Language": "fr"}).data)
    assert str(calendar["X-WR-CALNAME"]) == f"Échéances de {reference}"
    assert f"[{reference}] Rapport intermédiaire (trimestriel) 1" in events
    calendar, events = _calendar(client.get(path).data)
    assert str(calendar["X-WR-CALNAME"]) == f"{reference} deadlines"
    assert f"[{reference}] Interim (quarterly) report 1" in events
