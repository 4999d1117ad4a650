"""A message that cannot be sent is marked failed with its reason and never holds back the
others; a title or a name can never split or add an e-mail header, nor overflow a subject."""

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from tests.factories import Cast
from tests.notifications.smtp_server import LoopbackSmtp
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.scheduler import run_pass
from twinflow.notifications.mail_queue import queued_mail
from twinflow.notifications.models import OutboxEmail

POISONS = {
    # Stored before addresses were checked, or written by anything but the app's forms.
    "an address with a line break": (
        "someone@example.eu\r\nBcc: everyone@example.eu",
        ["recipient", "carriage return (U+000D)"],
    ),
    # A valid address, but this server takes ASCII addresses only: no retry will help.
    "an address the server cannot take": ("jörg@example.eu", ["SMTPUTF8"]),
}


@pytest.fixture
def ascii_only_smtp():
    server = LoopbackSmtp(smtputf8=False).start()
    yield server
    server.stop()


@pytest.mark.parametrize("poison", POISONS, ids=list(POISONS))
def test_one_poisoned_message_among_50_fails_alone_and_the_49_others_are_delivered(
    session, clock, pass_settings, ascii_only_smtp, poison
):
    smtp_server = ascii_only_smtp
    pass_settings = replace(pass_settings, smtp=replace(pass_settings.smtp, port=smtp_server.port))
    address, reason_words = POISONS[poison]
    good = [f"reader{n}@example.eu" for n in range(49)]
    addresses = good[:17] + [address] + good[17:]  # in the middle of the second batch of 20
    now = clock.now()
    session.execute(
        insert(OutboxEmail),
        [queued_mail(a, f"Notice {n}", f"Body {n}", None, now) for n, a in enumerate(addresses)],
    )
    session.commit()

    result = run_pass(session, clock, pass_settings)

    assert sorted(m["To"] for m in smtp_server.messages) == sorted(good)
    assert (result.delivery.sent, result.delivery.failed, result.delivery.retrying) == (49, 1, 0)
    rows = session.scalars(select(OutboxEmail).execution_options(populate_existing=True)).all()
    assert sorted(r.status for r in rows) == ["failed"] + ["sent"] * 49
    [failed] = [r for r in rows if r.status == "failed"]
    assert failed.to_address == address
    assert all(word in failed.last_error for word in reason_words), failed.last_error
    # Marked failed for good: a later pass does not try it again.
    clock.advance(hours=2)
    assert run_pass(session, clock, pass_settings).delivery.sent == 0
    assert len(smtp_server.messages) == 49


def test_a_title_with_a_line_break_arrives_on_one_subject_line_with_the_overdue_alerts(
    make, session, clock, pass_settings, smtp_server
):
    cast = Cast(make)
    late = cast.to("call_open")
    # A title stored before titles were checked at every input (the operations take it as is).
    title = "Prison reform\r\nBcc: leak@evil.example"
    poisoned = make.project(cast.beneficiary, title=title)
    make.fire(cast.beneficiary, poisoned, "submit_fiche")
    due = session.scalar(
        select(Deadline).where(Deadline.project_id == late.id, Deadline.key == "proposals_due")
    )
    clock.set(due.due_at + timedelta(days=8))
    session.commit()

    run_pass(session, clock, pass_settings)

    statuses = session.scalars(
        select(OutboxEmail.status).execution_options(populate_existing=True)
    ).all()
    assert statuses and set(statuses) == {"sent"}
    messages = smtp_server.messages
    subjects = [m["Subject"] for m in messages]
    assert any(s.endswith("Prison reform Bcc: leak@evil.example") for s in subjects), subjects
    assert any(f"[{late.reference}] Overdue" in s for s in subjects), subjects
    assert all(m["Bcc"] is None for m in messages)
    recipients = {to for _sender, tos in smtp_server.envelopes for to in tos}
    assert "leak@evil.example" not in recipients
    assert cast.coordinator.email in recipients


def test_an_unexpected_error_in_a_batch_puts_the_unsent_rows_back_in_the_queue(
    session, clock, pass_settings, smtp_server
):
    now = clock.now()
    addresses = [f"reader{n}@example.eu" for n in range(5)]
    session.execute(
        insert(OutboxEmail), [queued_mail(a, "Notice", "Body", None, now) for a in addresses]
    )
    session.commit()
    sent = 0

    def hook(step: str) -> None:
        nonlocal sent
        if step == "after_send":
            sent += 1
            if sent == 3:  # the third is accepted by the server, then the pass breaks
                raise RuntimeError("the pass broke")

    with pytest.raises(RuntimeError, match="the pass broke"):
        run_pass(session, clock, pass_settings, step_hook=hook)

    statuses = session.scalars(
        select(OutboxEmail.status)
        .order_by(OutboxEmail.id)
        .execution_options(populate_existing=True)
    ).all()
    assert statuses == ["sent", "sent", "queued", "queued", "queued"]
    clock.advance(minutes=1)
    assert run_pass(session, clock, pass_settings).delivery.sent == 3
    # At least once: the third went twice, with one Message-ID a mail client can drop.
    assert sorted(m["To"] for m in smtp_server.messages).count("reader2@example.eu") == 2
    assert len(set(smtp_server.message_ids())) == 5


def test_a_title_of_the_longest_length_accepted_still_moves_its_project_and_is_mailed_cut(
    make, session, clock, pass_settings, smtp_server
):
    cast = Cast(make)
    title = ("Strengthening the penitentiary system of Georgia " * 7)[:300]
    project = make.project(cast.beneficiary, title=title)
    make.fire(cast.beneficiary, project, "submit_fiche")  # its notice's subject holds the title
    session.commit()
    assert project.state == "fiche_review"

    run_pass(session, clock, pass_settings)

    [subject] = {m["Subject"] for m in smtp_server.messages if "Fiche review" in m["Subject"]}
    assert subject.startswith(f"[{project.reference}] Fiche review: Strengthening the")
    assert len(subject) == 300 and subject.endswith("…")
