"""`twinflow remind --now` runs one pass; `twinflow scheduler` runs them in its own process."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from tests.factories import Cast
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.scheduler import JOB_ID, build_scheduler
from twinflow.notifications.models import Notification, OutboxEmail

REPO = Path(__file__).resolve().parents[2]


def _due_reminder(session, project, now):
    session.execute(
        insert(Deadline).values(
            project_id=project.id,
            key="report",
            title="Report",
            set_in_state=project.state,
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
    )
    session.commit()


def _reminders(session) -> int:
    return session.scalar(
        select(func.count(Notification.id)).where(Notification.kind == "deadline_reminder")
    )


def test_remind_now_runs_one_pass_and_mails_through_the_configured_server(
    app, make, session, clock, smtp_server
):
    cast = Cast(make)
    _due_reminder(session, cast.project, clock.now())
    app.config.update(SMTP_HOST=smtp_server.host, SMTP_PORT=smtp_server.port)
    result = app.test_cli_runner().invoke(args=["remind", "--now"])
    assert result.exit_code == 0, result.output
    assert "1 deadline alert(s), 1 notification(s)" in result.output
    assert "1 sent" in result.output
    assert [m["To"] for m in smtp_server.messages] == [cast.beneficiary.email]
    assert _reminders(session) == 1


def test_remind_without_now_does_nothing_and_says_why(app):
    result = app.test_cli_runner().invoke(args=["remind"])
    assert result.exit_code == 2
    assert "--now" in result.output


def test_a_misconfigured_tls_mode_stops_the_command_naming_the_setting(app):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_TLS="sometimes")
    result = app.test_cli_runner().invoke(args=["remind", "--now"])
    assert result.exit_code == 1
    assert "TWINFLOW_SMTP_TLS='sometimes' is not one of none, starttls, ssl" in result.output


def test_without_an_smtp_host_mail_waits_in_the_outbox(app, make, session, clock):
    cast = Cast(make)
    _due_reminder(session, cast.project, clock.now())
    result = app.test_cli_runner().invoke(args=["remind", "--now"])
    assert "TWINFLOW_SMTP_HOST not set" in result.output
    assert session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.status == "queued"))


def test_the_scheduler_has_one_coalescing_interval_job_in_the_configured_zone():
    scheduler = build_scheduler(
        lambda: None, interval_seconds=60, timezone=ZoneInfo("Europe/Brussels")
    )
    [job] = scheduler.get_jobs()
    assert job.id == JOB_ID
    assert (job.coalesce, job.max_instances) == (True, 1)
    assert job.misfire_grace_time >= 3600
    assert job.trigger.interval == timedelta(seconds=60)
    assert str(scheduler.timezone) == "Europe/Brussels"


def test_the_scheduler_process_runs_a_pass_at_start_and_stops_on_sigterm(make, session, db_url):
    cast = Cast(make)
    _due_reminder(session, cast.project, datetime.now(UTC) - timedelta(minutes=1))
    env = dict(os.environ, TWINFLOW_DATABASE_URL=db_url, TWINFLOW_ENV="testing")
    process = subprocess.Popen(
        [sys.executable, "-c", "from twinflow.cli import main; main()", "scheduler"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while _reminders(session) == 0 and time.monotonic() < deadline:
            time.sleep(0.3)
            session.rollback()  # see the other process's commits
        assert _reminders(session) == 1
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    passes = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    first = next(p for p in passes if p["event"] == "scheduler pass")
    assert first["deadline_alerts"] == 1 and first["logger"] == "twinflow.scheduler"
