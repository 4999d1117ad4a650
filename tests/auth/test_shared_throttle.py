"""The sign-in limit holds across processes: two servers (separate gunicorn processes, as two
machines would run) over one database share each account's count of failures."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.factories import PASSWORD
from tests.notifications.smtp_server import free_port

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


class Server:
    def __init__(self, db_url: str, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TWINFLOW_")}
        env.update(TWINFLOW_ENV="testing", TWINFLOW_DATABASE_URL=db_url)
        self.log_path, self.log = log, log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--no-control-socket", "--workers", "1"]
            + ["--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_serving(self, timeout: float = 60) -> "Server":
        limit = time.monotonic() + timeout
        while time.monotonic() < limit:
            assert self.process.poll() is None, self.log_path.read_text()
            try:
                if requests.get(f"{self.url}/login", timeout=10).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        raise AssertionError(f"not serving after {timeout}s:\n{self.log_path.read_text()}")

    def sign_in(self, email: str, password: str) -> requests.Response:
        body = {"email": email, "password": password}
        return requests.post(f"{self.url}/api/v1/auth/token", json=body, timeout=30)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def test_failures_on_two_servers_add_up_to_one_lock(make, db_url, tmp_path):
    user = make.user("coordinator")
    servers = [Server(db_url, tmp_path / f"server{n}.log") for n in (1, 2)]
    try:
        one, two = (server.wait_until_serving() for server in servers)
        assert one.process.pid != two.process.pid
        statuses = [one.sign_in(user.email, "wrong").status_code for _ in range(3)]
        statuses += [two.sign_in(user.email, "wrong").status_code for _ in range(2)]
        assert statuses == [401] * 5
        for server in (one, two):
            locked = server.sign_in(user.email, PASSWORD)
            assert locked.status_code == 429, locked.text
            assert int(locked.headers["Retry-After"]) > 0
    finally:
        for server in servers:
            server.stop()
