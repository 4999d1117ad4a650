"""Exactly-once under concurrency and crashes: passes racing over 1,000 due reminders, and
a pass killed with SIGKILL midway, then run again."""

import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from tests.factories import Cast
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.scheduler import run_pass
from twinflow.notifications.models import Notification, OutboxEmail
from twinflow.notifications.outbox import DEFAULT_LEASE
from twinflow.projects.models import Project

DUE = 1000
# The crash tests need no crowd: enough for several batches of alerts and of mail.
CRASH_DUE = 400
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def due_reminders(make, session, clock, pass_settings):
    """`count` deadlines whose 3-day reminder is due now, each telling one beneficiary user."""
    return lambda count: _due_reminders(make, session, clock, pass_settings, count)


def _due_reminders(make, session, clock, pass_settings, count):
    cast = Cast(make)
    run_pass(session, clock, pass_settings)  # nothing of the setup stays in the outbox
    now = clock.now()
    session.execute(
        insert(Deadline),
        [
            dict(
                project_id=cast.project.id,
                key=f"bulk_{i}",
                title=f"Bulk deadline {i}",
                set_in_state="fiche_drafting",
                met_on="exit",
                due_at=now + timedelta(days=3),
                status="open",
                reminder_offsets_days=[3],
                notify_parties=["beneficiary"],
                escalate_every_days=None,
                next_alert_at=now,
                alerts_sent=0,
                created_at=now,
            )
            for i in range(count)
        ],
    )
    session.commit()
    return cast


def _counts(session, smtp_server):
    reminders = session.scalar(
        select(func.count(Notification.id)).where(Notification.kind == "deadline_reminder")
    )
    sent = session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.status == "sent"))
    ids = smtp_server.message_ids()
    return reminders, sent, len(ids), len(set(ids))


@pytest.mark.slow
@pytest.mark.only_backend("postgresql")
def test_three_concurrent_passes_over_1000_due_reminders_make_1000_notifications_and_mails(
    due_reminders, sa_engine, session, clock, pass_settings, smtp_server
):
    due_reminders(DUE)
    start = threading.Barrier(3)
    results, errors = [], []

    def one_pass():
        try:
            with Session(sa_engine, expire_on_commit=False) as own:
                start.wait()
                results.append(run_pass(own, clock, pass_settings))
        except BaseException as exc:  # reported below: a thread must not hide a failure
            errors.append(exc)

    threads = [threading.Thread(target=one_pass) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert _counts(session, smtp_server) == (DUE, DUE, DUE, DUE)
    assert sum(r.alerts.notifications for r in results) == DUE
    assert sum(r.delivery.sent for r in results) == DUE
    # The work was shared (SKIP LOCKED), not done three times over nor by one alone.
    assert sum(1 for r in results if r.alerts.deadlines) >= 2
    assert (
        session.scalar(select(func.count(Deadline.id)).where(Deadline.next_alert_at.is_not(None)))
        == 0
    )


def _crash(db_url, smtp_server, clock, step: str, count: int) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.notifications.crashing_pass",
            db_url,
            str(smtp_server.port),
            clock.now().isoformat(),
            step,
            str(count),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]


@pytest.mark.slow
def test_a_pass_killed_while_writing_notifications_loses_none_and_repeats_none(
    due_reminders, db_url, session, clock, pass_settings, smtp_server
):
    due_reminders(CRASH_DUE)
    _crash(db_url, smtp_server, clock, "after_alert", 250)  # inside the third batch of 100
    made = session.scalar(
        select(func.count(Notification.id)).where(Notification.kind == "deadline_reminder")
    )
    assert made == 200  # the two committed batches; the open one rolled back with the process
    run_pass(session, clock, pass_settings)
    assert _counts(session, smtp_server) == (CRASH_DUE,) * 4


@pytest.mark.slow
def test_a_pass_killed_between_two_mails_sends_each_mail_exactly_once(
    due_reminders, db_url, session, clock, pass_settings, smtp_server
):
    due_reminders(CRASH_DUE)
    _crash(db_url, smtp_server, clock, "after_mark_sent", 330)
    assert len(smtp_server.messages) == 330
    run_pass(session, clock, pass_settings)
    # The 19 rows claimed with the killed batch wait out their lease, then go too.
    clock.advance(seconds=DEFAULT_LEASE.total_seconds() + 1)
    run_pass(session, clock, pass_settings)
    assert _counts(session, smtp_server) == (CRASH_DUE,) * 4


@pytest.mark.slow
def test_a_kill_between_smtp_accept_and_commit_resends_with_the_same_message_id(
    due_reminders, db_url, session, clock, pass_settings, smtp_server
):
    """The one window no database can close: the server took the mail, the process died before
    recording it. We choose at-least-once; the copy is recognisable by its Message-ID."""
    due_reminders(CRASH_DUE)
    _crash(db_url, smtp_server, clock, "after_send", 300)
    clock.advance(seconds=DEFAULT_LEASE.total_seconds() + 1)
    run_pass(session, clock, pass_settings)
    reminders, sent, received, distinct = _counts(session, smtp_server)
    assert (reminders, sent, distinct) == (CRASH_DUE,) * 3
    assert received == CRASH_DUE + 1
    ids = smtp_server.message_ids()
    [twice] = {i for i in ids if ids.count(i) == 2}
    assert twice == ids[299]


@pytest.mark.only_backend("postgresql")
def test_a_pass_skips_a_project_a_transition_holds_instead_of_deadlocking_with_it(
    due_reminders, sa_engine, session, clock, pass_settings
):
    cast = due_reminders(5)
    _project_with_a_due_reminder(cast, session, clock)
    with Session(sa_engine) as transition:
        # What Engine.fire does first: lock the project row until its commit.
        transition.get(Project, cast.project.id, with_for_update=True)
        session.execute(text("SET lock_timeout = '5s'"))  # a wait would fail, not hang
        result = run_pass(session, clock, pass_settings)
        assert (result.alerts.deadlines, result.alerts.notifications) == (1, 1)  # only `other`
        transition.rollback()
    # Once the transition is over, the next pass takes them.
    assert run_pass(session, clock, pass_settings).alerts.notifications == 5
    assert (
        session.scalar(select(func.count(Deadline.id)).where(Deadline.next_alert_at.is_not(None)))
        == 0
    )


def _project_with_a_due_reminder(cast, session, clock):
    project = cast.make.project(cast.beneficiary)
    session.execute(
        insert(Deadline).values(
            project_id=project.id,
            key="other",
            title="Other",
            set_in_state="fiche_drafting",
            met_on="exit",
            due_at=clock.now() + timedelta(days=3),
            status="open",
            reminder_offsets_days=[3],
            notify_parties=["beneficiary"],
            escalate_every_days=None,
            next_alert_at=clock.now(),
            alerts_sent=0,
            created_at=clock.now(),
        )
    )
    session.commit()
    return project
