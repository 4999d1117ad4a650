"""Production on several machines, with real processes: two gunicorn app servers (each with
its own, empty upload folder) and two `twinflow scheduler` processes over one PostgreSQL,
documents in the database store; then PostgreSQL stopped and started under them."""

import io
import json
import subprocess
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.orm import Session

from config import TestingConfig
from tests.conftest import _migrate
from tests.factories import PASSWORD, Cast, Factory
from tests.notifications.smtp_server import LoopbackSmtp
from tests.ops.processes import (
    BIN,
    REPO,
    AppServer,
    PrivatePostgres,
    Scheduler,
    app_env,
    stop_all,
    wait_for,
)
from twinflow.audit.keys import engine_options
from twinflow.clock import FrozenClock
from twinflow.deadlines.models import Deadline
from twinflow.notifications.models import Notification, OutboxEmail
from twinflow.workflow.engine import Engine

# One xdist worker runs these two in turn: each starts several processes on a 2-core machine.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.only_backend("postgresql"),
    pytest.mark.xdist_group("several-machines"),
]
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) * 2000 + b"%%EOF\n"
CALLERS = 30


@pytest.fixture
def clock():
    """The servers and schedulers run on the real clock: so does the seeding here."""
    return FrozenClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def smtp():
    server = LoopbackSmtp().start()
    yield server
    server.stop()


@pytest.fixture
def started(tmp_path):
    processes = []

    def start(process):
        processes.append(process)
        return process

    yield start
    stop_all(processes)


def _token(server, user) -> str:
    answer = requests.post(
        f"{server.url}/api/v1/auth/token",
        json={"email": user.email, "password": PASSWORD},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


def _due_reminders(session, project_id, count: int, alert_at: datetime, tag: str) -> None:
    """`count` deadlines of the project whose 3-day reminder falls at `alert_at`."""
    session.execute(
        insert(Deadline),
        [
            dict(
                project_id=project_id, key=f"{tag}_{i}", title=f"{tag} deadline {i}",
                set_in_state="implementation", met_on="exit", due_at=alert_at + timedelta(days=3),
                status="open", reminder_offsets_days=[3], notify_parties=["beneficiary"],
                escalate_every_days=None, next_alert_at=alert_at, alerts_sent=0,
                created_at=alert_at,
            )
            for i in range(count)
        ],
    )  # fmt: skip
    session.commit()


def _reminder_mails(smtp, tag: str) -> list[str]:
    """Message-IDs of the reminder e-mails of these deadlines received by the SMTP server."""
    return [m["Message-ID"] for m in smtp.messages if f"Reminder: {tag} deadline" in m["Subject"]]


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_two_app_servers_and_two_schedulers_share_one_postgresql(
    db_url, make, session, smtp, started, tmp_path
):
    cast = Cast(make)
    cast.to("implementation")
    env = dict(TWINFLOW_SMTP_HOST=smtp.host, TWINFLOW_SMTP_PORT=smtp.port)
    one = started(AppServer("web-1", app_env(db_url, tmp_path / "up-1", **env), tmp_path))
    two = started(AppServer("web-2", app_env(db_url, tmp_path / "up-2", **env), tmp_path))
    one.wait_ready()
    two.wait_ready()

    # A document uploaded through one machine is downloaded intact through the other.
    headers_one = {"Authorization": f"Bearer {_token(one, cast.beneficiary)}"}
    pid = cast.project.id
    uploaded = requests.post(
        f"{one.url}/api/v1/projects/{pid}/documents",
        headers=headers_one | {"X-Request-ID": "upload-through-web-1"},
        data={"category": "interim_report"},
        files={"file": ("annex.pdf", io.BytesIO(PDF), "application/pdf")},
        timeout=60,
    )
    assert uploaded.status_code == 201, uploaded.text
    coordinator = {"Authorization": f"Bearer {_token(two, cast.coordinator)}"}
    download = requests.get(
        f"{two.url}{uploaded.json()['download_url']}", headers=coordinator, timeout=60
    )
    assert download.status_code == 200 and download.content == PDF
    assert not any(p.is_file() for p in tmp_path.glob("up-*/**/*"))  # no machine kept a copy

    # 30 identical transitions at once, spread over both machines: one applies.
    fresh = make.project(cast.beneficiary)
    servers = [one, two]
    tokens = [_token(s, cast.beneficiary) for s in servers]
    gate = threading.Barrier(CALLERS)
    answers: list[requests.Response] = [None] * CALLERS

    def fire(i):
        server = servers[i % 2]
        gate.wait()
        answers[i] = requests.post(
            f"{server.url}/api/v1/projects/{fresh.id}/transitions",
            json={"trigger": "submit_fiche"},
            headers={"Authorization": f"Bearer {tokens[i % 2]}"},
            timeout=120,
        )

    threads = [threading.Thread(target=fire, args=(i,)) for i in range(CALLERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert Counter(a.status_code for a in answers) == {200: 1, 409: CALLERS - 1}
    env_cli = app_env(db_url, tmp_path / "up-cli")
    verified = subprocess.run(
        [str(BIN / "twinflow"), "audit", "verify"], cwd=REPO, env=env_cli, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert verified.returncode == 0 and verified.stdout.startswith("ok: "), verified.stderr

    # Each machine's /metrics sums its workers: between them, the one transition applied.
    def transitions(server) -> float:
        text = requests.get(f"{server.url}/metrics", timeout=30).text
        return sum(
            s.value
            for family in text_string_to_metric_families(text)
            for s in family.samples
            if s.name == "twinflow_transitions_total" and s.labels["trigger"] == "submit_fiche"
        )

    assert transitions(one) + transitions(two) == 1

    # Due reminders with both schedulers running: each sent exactly once.
    _due_reminders(session, pid, 40, datetime.now(UTC), "Shared")
    started(Scheduler("scheduler-1", app_env(db_url, tmp_path / "s1", **env), tmp_path))
    started(Scheduler("scheduler-2", app_env(db_url, tmp_path / "s2", **env), tmp_path))
    wait_for(lambda: len(_reminder_mails(smtp, "Shared")) >= 40, 60, "40 reminder e-mails")
    sent_before = session.scalar(select(func.count()).where(OutboxEmail.status == "sent"))
    passes = lambda: sum(  # noqa: E731
        1 for p in tmp_path.glob("scheduler-*.log") for r in _json_lines(p.read_text())
        if r["event"] == "scheduler pass"
    )  # fmt: skip
    seen = passes()
    wait_for(lambda: passes() >= seen + 4, 30, "more scheduler passes")  # time to duplicate
    mails = _reminder_mails(smtp, "Shared")
    assert len(mails) == len(set(mails)) == 40
    session.expire_all()
    assert session.scalar(select(func.count()).where(OutboxEmail.status == "sent")) == sent_before
    reminders = select(func.count()).where(Notification.kind == "deadline_reminder")
    assert session.scalar(reminders) == 40

    # Both schedulers took part, and logged each pass as a JSON line with its counts.
    for name in ("scheduler-1", "scheduler-2"):
        lines = [r for r in _json_lines((tmp_path / f"{name}.log").read_text())
                 if r["event"] == "scheduler pass"]  # fmt: skip
        assert lines and {"duration_ms", "deadline_alerts", "mails_sent"} <= set(lines[0])
    # The servers' logs are JSON lines; the request id given is on the upload's line.
    (upload_line,) = [
        r for r in _json_lines(one.log()) if r.get("request_id") == "upload-through-web-1"
    ]
    assert upload_line["status"] == 201 and upload_line["user_id"] == cast.beneficiary.id


@pytest.fixture
def private_postgres():
    """Set up before `started`, so torn down after the processes that use it are stopped."""
    postgres = PrivatePostgres().create()
    yield postgres
    postgres.destroy()


def _events(processes, event: str) -> int:
    return sum(1 for p in processes for r in _json_lines(p.log()) if r["event"] == event)


def test_readyz_follows_a_postgresql_outage_and_the_schedulers_catch_up_exactly_once(
    private_postgres, registry, smtp, started, tmp_path
):
    url = private_postgres.url
    _migrate(url)
    engine = create_engine(url, execution_options=engine_options(TestingConfig.AUDIT_KEY))
    session = Session(engine, expire_on_commit=False)
    now = datetime.now(UTC).replace(microsecond=0)
    make = Factory(session, Engine(registry, FrozenClock(now)), FrozenClock(now))
    cast = Cast(make)
    env = dict(TWINFLOW_SMTP_HOST=smtp.host, TWINFLOW_SMTP_PORT=smtp.port)
    web = started(AppServer("web", app_env(url, tmp_path / "up", **env), tmp_path, workers=1))
    web.wait_ready()
    schedulers = [
        started(Scheduler(f"scheduler-{i}", app_env(url, tmp_path / "s", **env), tmp_path))
        for i in (1, 2)
    ]
    # Reminders that fall due while the database is down.
    due = datetime.now(UTC) + timedelta(seconds=4)
    _due_reminders(session, cast.project.id, 20, due, "Outage")
    session.close()
    engine.dispose()

    private_postgres.stop()
    down = wait_for(
        lambda: (
            (r := requests.get(f"{web.url}/readyz", timeout=30)).status_code == 503 and r.json()
        ),
        30,
        "readyz to answer 503",
    )
    assert down == {"status": "unavailable", "reason": "database unreachable"}
    assert requests.get(f"{web.url}/healthz", timeout=30).status_code == 200
    wait_for(lambda: _events(schedulers, "scheduler pass failed") >= 4, 40, "failed passes")
    wait_for(lambda: datetime.now(UTC) > due + timedelta(seconds=1), 10, "the due time")
    assert all(s.alive() for s in schedulers)
    assert _reminder_mails(smtp, "Outage") == []

    private_postgres.start()
    wait_for(
        lambda: requests.get(f"{web.url}/readyz", timeout=30).status_code == 200,
        30,
        "readyz to answer 200 again",
    )
    wait_for(lambda: len(_reminder_mails(smtp, "Outage")) >= 20, 60, "the reminders")
    seen = _events(schedulers, "scheduler pass")
    wait_for(lambda: _events(schedulers, "scheduler pass") >= seen + 4, 30, "more passes")
    mails = _reminder_mails(smtp, "Outage")
    assert len(mails) == len(set(mails)) == 20
    assert all(s.alive() for s in schedulers)
