"""`twinflow demo` as a new user runs it: on the port asked for, its links point there, and
stopping it (SIGTERM, as `kill`, docker or systemd do) stops its reminder scheduler too.

Each demo runs in its own process on a fresh SQLite file of the test's folder, never the
instance folder, with a loopback SMTP server catching what the scheduler sends."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.notifications.smtp_server import LoopbackSmtp, free_port
from twinflow.demo import demo_base_url

pytestmark = pytest.mark.slow

DEMO_PASSWORD = "twinflow-demo"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Demo:
    def __init__(self, folder: Path, smtp: LoopbackSmtp):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TWINFLOW_")}
        env.update(
            TWINFLOW_DATABASE_URL=f"sqlite:///{folder / 'demo.sqlite3'}",
            TWINFLOW_UPLOAD_DIR=str(folder / "uploads"),
            TWINFLOW_SMTP_HOST=smtp.host,
            TWINFLOW_SMTP_PORT=str(smtp.port),
        )
        self.log = (folder / "demo.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from twinflow.cli import main; main()", "demo"]
            + ["--port", str(self.port)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.log_path = folder / "demo.log"
        self.seen: set[int] = set()  # its children's ids, to end them if they outlive it

    def wait_until_serving(self, timeout: float = 60) -> None:
        limit = time.monotonic() + timeout
        while time.monotonic() < limit:
            assert self.process.poll() is None, self.log_path.read_text()
            try:
                if requests.get(f"{self.url}/login", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"the demo did not serve in {timeout}s:\n{self.log_path.read_text()}")

    def running_scheduler(self, timeout: float = 30) -> int:
        """The process id of the demo's scheduler, once it says it runs."""
        limit = time.monotonic() + timeout
        while time.monotonic() < limit:
            started = "twinflow scheduler: a pass every" in self.log_path.read_text()
            found = [p for p in _children(self.process.pid) if b"scheduler" in _cmdline(p)]
            if started and found:
                self.seen.update(found)
                return found[0]
            time.sleep(0.1)
        raise AssertionError(f"no scheduler running:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        """Whatever the test did: nothing of this demo stays behind (by process id only)."""
        if self.process.poll() is None:
            self.seen.update(_children(self.process.pid))
            self.process.kill()
        self.process.wait()
        for pid in self.seen:
            _kill(pid)
        self.log.close()


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _running(pid: int) -> bool:
    """Alive and not a zombie (a zombie has ended; only its exit status is left to collect)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def _kill(pid: int) -> None:
    # Only if the id still names a twinflow process: ids are reused once a process has ended.
    if _running(pid) and b"twinflow" in _cmdline(pid):
        os.kill(pid, signal.SIGKILL)


@pytest.fixture
def smtp():
    server = LoopbackSmtp().start()
    yield server
    server.stop()


@pytest.fixture
def demo(tmp_path, smtp):
    demo = Demo(tmp_path, smtp)
    yield demo
    demo.stop()


def _signed_in(demo: Demo, email: str) -> tuple[requests.Session, str]:
    """A browser session signed in, and the CSRF token its pages carry."""
    browser = requests.Session()
    login = browser.get(f"{demo.url}/login", timeout=10)
    token = CSRF.search(login.text).group(1)
    signed = browser.post(
        f"{demo.url}/login",
        data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token},
        timeout=10,
    )
    assert signed.status_code == 200 and "Sign out" in signed.text, signed.text[:500]
    return browser, CSRF.search(signed.text).group(1)


def _links(message) -> list[str]:
    body = message.get_body(("plain", "html")).get_content()
    return re.findall(r"https?://[^\s\"'<>]+", body)


def test_the_demo_on_another_port_gives_calendar_and_email_links_on_that_port(demo, smtp):
    demo.wait_until_serving()

    browser, token = _signed_in(demo, "justice.ge@twinflow.demo")
    issued = browser.post(
        f"{demo.url}/calendar/subscription",
        headers={"X-CSRFToken": token, "Accept": "application/json"},
        timeout=10,
    )
    assert issued.status_code == 201, issued.text[:500]
    feed_url = issued.json()["url"]
    assert feed_url.startswith(f"{demo.url}/calendar/")
    feed = requests.get(feed_url, timeout=10)  # as a calendar app: no session
    assert feed.status_code == 200
    project_links = re.findall(r"^URL:(\S+)", feed.text, re.MULTILINE)
    assert project_links and all(u.startswith(f"{demo.url}/projects/") for u in project_links)

    # The scheduler's first pass sends the reminders and notices the demo history left due.
    limit = time.monotonic() + 30
    while not smtp.messages and time.monotonic() < limit:
        time.sleep(0.2)
    links = [link for message in smtp.messages for link in _links(message)]
    assert links, demo.log_path.read_text()
    assert all(link.startswith(f"{demo.url}/") for link in links), sorted(set(links))[:5]


def test_sigterm_stops_the_demo_and_its_scheduler_within_seconds(demo):
    demo.wait_until_serving()
    scheduler = demo.running_scheduler()

    demo.process.send_signal(signal.SIGTERM)

    assert demo.process.wait(timeout=15) == 0  # a clean stop, not a crash
    limit = time.monotonic() + 5
    while _running(scheduler) and time.monotonic() < limit:
        time.sleep(0.1)
    assert not _running(scheduler), "the scheduler outlived the demo"


def test_the_base_url_follows_host_and_port_unless_one_is_configured():
    assert demo_base_url("127.0.0.1", 8123, environ={}) == "http://127.0.0.1:8123"
    assert demo_base_url("0.0.0.0", 8123, environ={}) == "http://127.0.0.1:8123"
    assert demo_base_url("::", 8123, environ={}) == "http://[::1]:8123"
    assert demo_base_url("localhost", 80, environ={}) == "http://localhost:80"
    configured = {"TWINFLOW_BASE_URL": "https://twinning.example.eu/"}
    assert demo_base_url("127.0.0.1", 8123, environ=configured) == "https://twinning.example.eu"


def test_the_demo_logs_readable_lines_with_the_request_id(demo):
    demo.wait_until_serving()
    requests.get(f"{demo.url}/login", headers={"X-Request-ID": "demo-readable-1"}, timeout=10)
    limit = time.monotonic() + 10
    while "request_id=demo-readable-1" not in demo.log_path.read_text():
        assert time.monotonic() < limit, demo.log_path.read_text()
        time.sleep(0.1)
    (line,) = [x for x in demo.log_path.read_text().splitlines() if "demo-readable-1" in x]
    assert not line.startswith("{") and "[info     ] request" in line
    assert "route=/login" in line and "status=200" in line


def test_the_demo_says_it_seals_the_audit_trail_with_the_public_demo_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWINFLOW_")}
    env |= {
        "TWINFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "TWINFLOW_UPLOAD_DIR": str(tmp_path / "uploads"),
    }
    command = [sys.executable, "-c", "from twinflow.cli import main; main()"]
    seeded = subprocess.run(
        [*command, "demo", "--no-serve"], env=env, capture_output=True, text=True, timeout=180
    )
    assert seeded.returncode == 0, seeded.stderr
    assert "sealed with the public DEMO audit key" in seeded.stdout
    # The demo's trail verifies with the same key in the development configuration.
    verified = subprocess.run(
        [*command, "audit", "verify"],
        env=env | {"TWINFLOW_ENV": "development"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert verified.returncode == 0, verified.stderr
    assert "chain intact" in verified.stdout


def test_the_demo_console_shows_the_url_and_the_accounts_with_what_to_try_and_no_chatter(
    demo, smtp
):
    demo.wait_until_serving()
    demo.running_scheduler()
    limit = time.monotonic() + 30  # past the scheduler's first pass (it sends e-mail)
    while not smtp.messages and time.monotonic() < limit:
        time.sleep(0.2)
    requests.get(f"{demo.url}/login", headers={"X-Request-ID": "quiet-1"}, timeout=10)
    limit = time.monotonic() + 10
    while "request_id=quiet-1" not in demo.log_path.read_text():
        assert time.monotonic() < limit, demo.log_path.read_text()
        time.sleep(0.1)
    console = demo.log_path.read_text()

    assert f"twinflow is at {demo.url}/" in console
    accounts = ("admin@", "delegation@", "delegation.ge@", "delegation.am@", "cfcu@", "ncp.fr@")
    for account in accounts:
        assert f"  {account}twinflow.demo" in console, account
    assert console.count("try: ") == 12  # every account, France's Contact Point too
    assert "indirect management" in console
    # No library chatter: Alembic's INFO lines, the development server's coloured banner and
    # second line per request, the scheduler's pass lines.
    assert "[alembic" not in console and "Running upgrade" not in console
    assert "development server" not in console and "\x1b[" not in console
    assert '"GET /login HTTP/1.1"' not in console
    assert "scheduler pass" not in console
