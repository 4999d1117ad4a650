"""`twinflow demo`: migrate the embedded database, seed demo data once, serve (127.0.0.1:5000
unless --host or --port say otherwise) with the reminder scheduler beside it."""

import logging
import os
import signal
import subprocess
import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

# Addresses that mean "every interface": a browser cannot open them, loopback it can.
_WILDCARD_HOSTS = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "[::1]"}


def demo_base_url(host: str, port: int, environ=None) -> str:
    """The address absolute links (e-mails, calendar URLs) point to: TWINFLOW_BASE_URL when it
    is set, else where this demo serves."""
    environ = os.environ if environ is None else environ
    explicit = (environ.get("TWINFLOW_BASE_URL") or "").strip()
    if explicit:
        return explicit.rstrip("/")
    shown = _WILDCARD_HOSTS.get(host, host)
    if ":" in shown and not shown.startswith("["):  # an IPv6 literal
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


@click.command("demo")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--no-serve", is_flag=True, help="Only migrate and seed.")
@with_appcontext
def demo_command(host, port, no_serve):
    """Set up a demo database with users for every role and projects in several stages."""

    from twinflow.demo_data import DEMO_PASSWORD, seed_demo
    from twinflow.demo_guide import account_guide
    from twinflow.extensions import db
    from twinflow.ops.logs import configure_logging

    app = current_app._get_current_object()
    base_url = demo_base_url(host, port)
    # The configuration and the engine were built before the port was known; the links of the
    # seeded notifications, the pages and the scheduler's e-mails must all carry this one.
    app.config["BASE_URL"] = base_url
    app.extensions["twinflow.engine"].base_url = base_url

    # Readable lines for a person at a terminal (TWINFLOW_LOG_FORMAT may say otherwise).
    configure_logging(os.environ.get("TWINFLOW_LOG_FORMAT") or "console", app.config["LOG_LEVEL"])
    _quiet_libraries()
    _migrate_quietly(app)
    created = seed_demo(
        db.session, app.extensions["twinflow.engine"], app.config["PASSWORD_HASH_METHOD"]
    )
    click.echo("Seeded demo data." if created else "Demo data already present.")
    click.echo(_audit_key_notice(app.config["AUDIT_KEY"]))
    click.echo("")
    click.echo(f"twinflow is at {base_url}/ . Sign in (password: {DEMO_PASSWORD}) as:")
    for email, who, what in account_guide(db.session):
        click.echo(f"  {email:30} {who}")
        click.echo(f"  {'':30}   try: {what}")
    if not app.config.get("SMTP_HOST"):
        click.echo(
            "No mail server is set (TWINFLOW_SMTP_HOST): every e-mail waits in the outbox, "
            f"readable by admin@ at {base_url}/admin/outbox"
        )
    click.echo("")
    if no_serve:
        return
    # SIGTERM (kill, docker stop, systemd) ends the demo as Ctrl-C does, so the scheduler
    # child is stopped with it instead of running on, orphaned.
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    scheduler = None
    try:
        scheduler = _start_scheduler(app, base_url)
        # Flask ignores app.run() inside its own CLI, so serve with werkzeug directly.
        run_simple(host, port, app, threaded=True)
    except KeyboardInterrupt:
        pass
    finally:
        if scheduler is not None:
            _stop_scheduler(scheduler)
        signal.signal(signal.SIGTERM, previous)


def _quiet_libraries() -> None:
    """The console shows the URL, the accounts, requests and errors: not Alembic's INFO lines,
    nor werkzeug's development-server banner and its second line per request (ours, with the
    request id, stays)."""
    for name in ("alembic", "werkzeug"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _migrate_quietly(app) -> None:
    """`flask db upgrade`, without migrations/env.py replacing the process's logging set-up by
    alembic.ini's (Alembic's cookbook: configure_logger=False)."""
    from alembic import command

    config = app.extensions["migrate"].migrate.get_config()
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


def _audit_key_notice(secret: str) -> str:
    from config import DEMO_AUDIT_KEY
    from twinflow.audit.keys import AuditKey

    if secret == DEMO_AUDIT_KEY:
        return (
            "The audit trail is sealed with the public DEMO audit key (TWINFLOW_AUDIT_KEY is "
            "not set): fine for a demo, never for real data."
        )
    return f"The audit trail is sealed with TWINFLOW_AUDIT_KEY (key id {AuditKey(secret).key_id})."


def _start_scheduler(app, base_url: str) -> subprocess.Popen:
    """The reminder scheduler runs in its own process (never inside the web server), on the
    same database and settings, and ends with the server."""
    env = dict(os.environ)
    env.setdefault("TWINFLOW_DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    env["TWINFLOW_BASE_URL"] = base_url
    # Its passes are logged at INFO every minute: the demo's console shows its warnings and
    # errors only, unless TWINFLOW_LOG_LEVEL asks for more.
    env.setdefault("TWINFLOW_LOG_LEVEL", "WARNING")
    return subprocess.Popen(
        [sys.executable, "-c", "from twinflow.cli import main; main()", "scheduler"], env=env
    )


def _stop_scheduler(process: subprocess.Popen) -> None:
    """Terminate the scheduler and wait for it; a second Ctrl-C or SIGTERM meanwhile must not
    cut this short and leave it running."""
    ignored = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    finally:
        for sig, handler in ignored.items():
            signal.signal(sig, handler)
