"""Real processes for the several-machines tests: gunicorn app servers, `twinflow scheduler`
processes and a private PostgreSQL cluster that a test may stop and start. Each is stopped
by its own process id; nothing here touches the shared cluster on port 5432."""

import glob
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from config import TestingConfig

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """A child process whose output goes to a file the test can read."""

    def __init__(self, name: str, args: list[str], env: dict, log: Path):
        self.name, self.log_path = name, log
        self._log = log.open("w")
        self.process = subprocess.Popen(
            args, cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text()

    def signal_stop(self) -> None:
        if self.alive():
            # Its own session: the signal reaches it and its workers, nothing else. SIGTERM,
            # as a supervisor stops them (gunicorn's quick-stop SIGINT waited for its
            # graceful timeout here: the master reaped no worker while stopping).
            os.killpg(self.process.pid, signal.SIGTERM)

    def wait_stopped(self) -> None:
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._log.close()

    def stop(self) -> None:
        self.signal_stop()
        self.wait_stopped()


def stop_all(processes: list[Process]) -> None:
    """All at once: each takes a moment to wind down."""
    for process in processes:
        process.signal_stop()
    for process in processes:
        process.wait_stopped()


def app_env(db_url: str, uploads: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWINFLOW_")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env.update(
        TWINFLOW_ENV="production",
        TWINFLOW_DATABASE_URL=db_url,
        TWINFLOW_SECRET_KEY="several-machines-test-key",
        TWINFLOW_DOCUMENT_STORE="database",
        TWINFLOW_UPLOAD_DIR=str(uploads),
        TWINFLOW_LOG_FORMAT="json",
        # The same key as the suite's own engine, so both write one verifiable chain.
        TWINFLOW_AUDIT_KEY=TestingConfig.AUDIT_KEY,
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


class AppServer(Process):
    """gunicorn with the repository's configuration, as deployed."""

    def __init__(self, name: str, env: dict, folder: Path, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [
            str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "wsgi:app",
        ]  # fmt: skip
        super().__init__(name, args, env, folder / f"{name}.log")

    def wait_ready(self, timeout: float = 60) -> None:
        limit = time.monotonic() + timeout
        while time.monotonic() < limit:
            assert self.alive(), f"{self.name} exited:\n{self.log()}"
            try:
                if requests.get(f"{self.url}/readyz", timeout=10).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or workers still booting
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.name} not ready in {timeout}s:\n{self.log()}")


class Scheduler(Process):
    def __init__(self, name: str, env: dict, folder: Path, interval: int = 1):
        args = [str(BIN / "twinflow"), "scheduler", "--interval", str(interval)]
        super().__init__(name, args, env, folder / f"{name}.log")


def wait_for(check, timeout: float, what: str, interval: float = 0.25):
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        found = check()
        if found:
            return found
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class PrivatePostgres:
    """A PostgreSQL cluster of this test alone (initdb in a temporary folder, a free port on
    loopback, a random password), so stopping it disturbs no one else on the machine.
    PostgreSQL refuses to run as root: as root, its commands run as the postgres user."""

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
        if not found:
            raise RuntimeError("PostgreSQL's server binaries are not installed (initdb)")
        self.bin = Path(found[-1]).parent
        self.port = free_port()
        self.password = secrets.token_hex(16)
        # Not under pytest's folder: the postgres user must be able to enter this one.
        self.root = Path(tempfile.mkdtemp(prefix="twinflow-private-pg-"))
        self.data = self.root / "data"
        self.url = f"postgresql+psycopg://twinflow:{self.password}@127.0.0.1:{self.port}/twinflow"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if check and done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr or done.stdout}")
        return done

    def create(self) -> "PrivatePostgres":
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        secret = self.root / "pw"
        secret.write_text(self.password)
        if os.geteuid() == 0:
            shutil.chown(secret, "postgres", "postgres")
        self._run(
            "initdb", "-D", str(self.data), "-U", "twinflow", f"--pwfile={secret}",
            "--auth=scram-sha-256", "--encoding=UTF8", "--no-sync",
        )  # fmt: skip
        secret.unlink()
        self.start()
        from sqlalchemy import create_engine, text

        admin = create_engine(
            self.url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE twinflow"))
        admin.dispose()
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=100"
        )
        log = self.root / "server.log"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(log), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def _version(path: str) -> tuple:
    part = Path(path).parts[-3]
    return tuple(int(x) for x in part.split(".") if x.isdigit())
