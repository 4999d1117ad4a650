"""The e-mail outbox page: an administrator sees what was queued, sent and failed (and why),
filters by status and reads each message in full; nobody else sees it."""

import re
from datetime import UTC, datetime

from twinflow.notifications.models import OutboxEmail


def _outbox(session):
    when = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    rows = [
        OutboxEmail(
            to_address="nino@example.ge",
            subject="[GE-24-JH-01] The fiche was returned",
            body_text="Dear Nino,\nthe fiche was returned.\n<b>Section 3</b> needs work.",
            status="queued",
            created_at=when,
            next_attempt_at=when,
        ),
        OutboxEmail(
            to_address="karl@example.de",
            subject="[AM-24-FI-02] Proposals are due",
            body_text="Reminder.",
            status="sent",
            attempts=1,
            sent_at=when,
            created_at=when,
            next_attempt_at=when,
        ),
        OutboxEmail(
            to_address="nobody@bad.example",
            subject="[MD-24-EN-03] Call closed",
            body_text="The call closed.",
            status="failed",
            attempts=1,
            last_error="SMTPRecipientsRefused: 550 no such mailbox",
            created_at=when,
            next_attempt_at=when,
        ),
    ]
    session.add_all(rows)
    session.flush()
    return rows


def _subjects(page: str) -> list[str]:
    return re.findall(r'/admin/outbox/\d+">([^<]+)</a>', page)


def test_an_administrator_sees_every_email_with_its_status_and_why_one_failed(
    make, session, as_user
):
    _outbox(session)
    page = as_user(make.user("admin")).text("/admin/outbox")
    assert "1 queued, 1 sent, 1 failed" in page
    assert len(_subjects(page)) == 3
    assert "SMTPRecipientsRefused: 550 no such mailbox" in page
    assert "E-mail outbox" in page  # the administrator's navigation links it


def test_the_status_filter_shows_only_the_emails_with_that_status(make, session, as_user):
    _outbox(session)
    admin = as_user(make.user("admin"))
    failed = admin.text("/admin/outbox?status=failed")
    assert _subjects(failed) == ["[MD-24-EN-03] Call closed"]
    assert "Showing the e-mails with status “Failed”: 1 e-mail," in failed
    queued = admin.text("/admin/outbox?status=queued")
    assert _subjects(queued) == ["[GE-24-JH-01] The fiche was returned"]
    # An unknown status filters nothing rather than failing.
    assert len(_subjects(admin.text("/admin/outbox?status=bogus"))) == 3


def test_an_email_is_readable_in_full_with_its_line_breaks_and_its_markup_escaped(
    make, session, as_user
):
    queued, *_ = _outbox(session)
    page = as_user(make.user("admin")).text(f"/admin/outbox/{queued.id}")
    body = re.search(r'data-testid="outbox-body">(.*?)</pre>', page, re.S).group(1)
    assert body == "Dear Nino,\nthe fiche was returned.\n&lt;b&gt;Section 3&lt;/b&gt; needs work."
    assert "nino@example.ge" in page
    assert "(no mail server is set: it waits here)" in page


def test_an_unknown_email_is_not_found_and_other_roles_are_refused(make, session, as_user):
    queued, *_ = _outbox(session)
    assert as_user(make.user("admin")).get("/admin/outbox/999999").status_code == 404
    for role in ("coordinator", "beneficiary"):
        coordinator = as_user(make.user(role))
        assert coordinator.get("/admin/outbox").status_code == 403
        assert coordinator.get(f"/admin/outbox/{queued.id}").status_code == 403
