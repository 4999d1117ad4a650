"""Confidentiality outside the pages: the e-mails (one per notification, or the daily digest)
that reached the loopback SMTP server, and each party's calendar feed and project calendar,
carry no secret that is not the recipient's."""

import pytest
from icalendar import Calendar

from tests.security.scenario import PARTIES

pytestmark = pytest.mark.xdist_group("security-world")


def _text(message) -> str:
    parts = [f"Subject: {message['Subject']}"]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts).replace("<wbr>", "").lower()


def _leaks(world, party, text):
    return sorted(f"{s}: {t!r}" for t, s in world.forbidden(party).items() if t.lower() in text)


def test_no_e_mail_tells_its_recipient_a_secret_that_is_not_theirs(world):
    messages = world.smtp.messages
    by_party = {party: [] for party in PARTIES}
    addresses = {user.email: party for party, user in world.users.items()}
    for message in messages:
        by_party[addresses[message["To"]]].append(message)
    found = [
        f"{party} {message['Subject']}: {leak}"
        for party, mails in by_party.items()
        for message in mails
        for leak in _leaks(world, party, _text(message))
    ]
    assert found == []
    # The walk above means something only if mail went out: the call's reminder reached every
    # Member State (Italy in its digest) and the pending choice its approver.
    assert all(by_party[p] for p in ("coordinator", "beneficiary", "marked", "rival_fr"))
    assert any("digest" in m["Subject"] for m in by_party["rival_it"])
    assert by_party["inactive"] == [] and by_party["other_institution"] == []
    # The Delegation to Armenia is told nothing of a Georgian project: no notice, no e-mail,
    # no digest (it reads its notifications as one), while Georgia's coordinator is told.
    assert by_party["other_delegation"] == [] and world.notification_ids["other_delegation"] is None
    assert world.notification_ids["coordinator"] is not None


def _events(body: bytes) -> list[str]:
    calendar = Calendar.from_ical(body)
    return [f"{e['SUMMARY']} {e.get('DESCRIPTION', '')}".lower() for e in calendar.walk("VEVENT")]


def test_no_calendar_tells_its_reader_a_secret_that_is_not_theirs(world):
    found, feeds = [], {}
    for party in PARTIES:
        browser = world.browsers[party]
        feed = browser.get(f"/calendar/{world.calendar_tokens[party]}.ics")
        project = browser.get(f"/projects/{world.project.id}/deadlines.ics")
        for name, response in (("feed", feed), ("project", project)):
            if response.status_code == 200:
                events = _events(response.data)
                feeds[party, name] = events
                found += [f"{party} {name}: {x}" for x in _leaks(world, party, " ".join(events))]
    assert found == []
    # While the call is open every Member State has its deadline; once it has closed, none
    # has any deadline (the partner's come when it is chosen). Nobody signed out or
    # deactivated reads a calendar.
    for party in ("marked", "rival_fr", "rival_it"):
        due = [e for e in feeds[party, "feed"] if "member state proposals due" in e]
        assert len(due) == (1 if world.phase == "open" else 0), party
        if world.phase == "closed":
            assert feeds[party, "feed"] == feeds[party, "project"] == []
    assert {p for p, _ in feeds} == set(PARTIES) - {"anonymous", "inactive"}
    for outsider in ("other_institution", "other_delegation"):
        assert feeds[outsider, "feed"] == []
        assert (outsider, "project") not in feeds
    assert feeds["coordinator", "feed"] != []  # Georgia's coordinator has its deadlines
