"""E-mail leaves from the outbox after commit, to a real SMTP server on loopback."""

from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tests.factories import Cast
from tests.notifications.smtp_server import LoopbackSmtp
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.scheduler import run_pass
from twinflow.notifications.models import Digest, Notification, OutboxEmail
from twinflow.notifications.outbox import backoff


def _proposals_due(session, project) -> Deadline:
    return session.scalar(
        select(Deadline).where(Deadline.project_id == project.id, Deadline.key == "proposals_due")
    )


def _reminders(smtp_server, address):
    return [m for m in smtp_server.to(address) if "Reminder" in m["Subject"]]


def test_a_reminder_arrives_as_text_and_html_with_a_link_to_the_project(
    make, session, clock, pass_settings, smtp_server
):
    cast = Cast(make)
    project = cast.to("call_open")
    due = _proposals_due(session, project)
    clock.set(due.due_at - timedelta(days=14))
    run_pass(session, clock, pass_settings)

    [message] = _reminders(smtp_server, cast.beneficiary.email)
    link = f"http://twinflow.test/projects/{project.id}"
    assert message["Subject"] == (
        f"[{project.reference}] Reminder: Member State proposals due (in 14 days)"
    )
    assert message["From"] == "twinflow@twinflow.test"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert project.title in text and link in text
    # The due time in the reader's zone (the default, Brussels: UTC+1 in winter).
    local = due.due_at.astimezone(ZoneInfo("Europe/Brussels"))
    assert f"{local:%d %B %Y, %H:%M} (Europe/Brussels)" in text
    assert f'href="{link}"' in html
    outbox_id = session.scalar(
        select(OutboxEmail.id).where(
            OutboxEmail.to_address == cast.beneficiary.email,
            OutboxEmail.subject == message["Subject"],
        )
    )
    assert message["Message-ID"] == f"<twinflow-outbox-{outbox_id}@twinflow.test>"
    # The Member States are told too; the other beneficiary administration is not.
    assert len(_reminders(smtp_server, cast.germany.email)) == 1
    assert smtp_server.to(cast.other_beneficiary.email) == []


def test_with_the_smtp_server_down_mail_stays_queued_and_leaves_once_it_is_back(
    make, session, clock, pass_settings, smtp_server
):
    cast = Cast(make)
    project = cast.to("call_open")
    run_pass(session, clock, pass_settings)  # the mail of the transitions goes out first
    smtp_server.stop()
    clock.set(_proposals_due(session, project).due_at - timedelta(days=14))
    down = run_pass(session, clock, pass_settings)
    assert down.alerts.notifications == 4 and down.delivery.retrying == 4
    queued = session.scalars(select(OutboxEmail).where(OutboxEmail.status != "sent")).all()
    assert len(queued) == 4
    for row in queued:
        session.refresh(row)
        assert (row.status, row.attempts) == ("queued", 1)
        assert row.next_attempt_at == clock.now() + timedelta(minutes=1)
        assert "ConnectionRefusedError" in row.last_error

    clock.advance(minutes=1)
    run_pass(session, clock, pass_settings)  # still down: the wait doubles
    row = session.get(OutboxEmail, queued[0].id, populate_existing=True)
    assert (row.attempts, row.next_attempt_at) == (2, clock.now() + timedelta(minutes=2))

    smtp_server.start()
    clock.advance(minutes=1)
    assert run_pass(session, clock, pass_settings).delivery.sent == 0  # not due yet
    clock.advance(minutes=1)
    back = run_pass(session, clock, pass_settings)
    assert back.delivery.sent == 4
    assert len(_reminders(smtp_server, cast.beneficiary.email)) == 1
    assert (
        session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.status != "sent")) == 0
    )
    assert run_pass(session, clock, pass_settings).delivery.sent == 0


def test_retries_wait_twice_as_long_each_time_up_to_an_hour():
    waits = [backoff(n) for n in range(1, 10)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[-1] == timedelta(hours=1)


def test_a_recipient_refused_for_good_is_marked_failed_and_the_others_still_get_theirs(
    make, session, clock, pass_settings, smtp_server
):
    cast = Cast(make)
    smtp_server.refused.add(cast.germany.email)
    project = cast.to("call_open")
    clock.set(_proposals_due(session, project).due_at - timedelta(days=14))
    result = run_pass(session, clock, pass_settings)
    failed = session.scalars(select(OutboxEmail).where(OutboxEmail.status == "failed")).all()
    assert {r.to_address for r in failed} == {cast.germany.email}
    assert any("Reminder" in r.subject for r in failed)
    assert all("550" in r.last_error for r in failed)
    assert result.delivery.failed == len(failed)
    assert len(_reminders(smtp_server, cast.france.email)) == 1
    assert len(_reminders(smtp_server, cast.beneficiary.email)) == 1


def test_digest_users_get_one_mail_a_day_listing_their_notifications(
    make, session, clock, pass_settings, smtp_server
):
    cast = Cast(make)
    cast.beneficiary.digest_enabled = True
    session.commit()
    project = cast.to("call_open")
    run_pass(session, clock, pass_settings)
    assert smtp_server.to(cast.beneficiary.email) == []
    assert smtp_server.to(cast.coordinator.email) != []  # others still get mail at once
    told = session.scalars(
        select(Notification.subject).where(Notification.user_id == cast.beneficiary.id)
    ).all()
    assert told

    # The next local 07:00 (Brussels; the test clock starts at 09:00 UTC on a Monday).
    clock.set(clock.now().replace(hour=6, minute=5) + timedelta(days=1))
    run_pass(session, clock, pass_settings)
    run_pass(session, clock, pass_settings)
    [digest] = smtp_server.to(cast.beneficiary.email)
    assert digest["Subject"] == f"twinflow daily digest: {len(told)} notification(s)"
    text = digest.get_body(("plain",)).get_content()
    assert all(subject in text for subject in told)
    assert f"http://twinflow.test/projects/{project.id}" in text
    mailed = select(func.count(Digest.id)).where(
        Digest.user_id == cast.beneficiary.id, Digest.outbox_email_id.is_not(None)
    )
    assert session.scalar(mailed) == 1


@pytest.fixture
def guarded_server():
    server = LoopbackSmtp(credentials=("twinflow", "s3cret")).start()
    yield server
    server.stop()


def test_the_configured_login_is_used_and_a_wrong_password_keeps_mail_queued(
    make, session, clock, pass_settings, guarded_server
):
    cast = Cast(make)
    cast.to("fiche_review")  # the coordinators are told the fiche awaits review
    wrong = replace(
        pass_settings,
        smtp=replace(
            pass_settings.smtp, port=guarded_server.port, username="twinflow", password="guess"
        ),
    )
    assert "guess" not in repr(wrong)  # the password never reaches a log line
    refused = run_pass(session, clock, wrong)
    assert refused.delivery.sent == 0 and refused.delivery.retrying == 1
    row = session.scalar(select(OutboxEmail))
    assert row.status == "queued" and "SMTPAuthenticationError" in row.last_error

    right = replace(wrong, smtp=replace(wrong.smtp, password="s3cret"))
    clock.advance(minutes=1)
    assert run_pass(session, clock, right).delivery.sent == 1
    assert [m["To"] for m in guarded_server.messages] == [cast.coordinator.email]
