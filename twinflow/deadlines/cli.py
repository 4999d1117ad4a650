"""`twinflow scheduler` (its own process, APScheduler) and `twinflow remind --now` (one pass)."""

import contextlib
import logging
import signal
import sys

import click
from flask import current_app
from flask.cli import with_appcontext


def _one_pass(app):
    from twinflow.deadlines.scheduler import PassSettings, run_pass
    from twinflow.extensions import db

    with app.app_context():
        try:
            return run_pass(
                db.session,
                app.extensions["twinflow.engine"].clock,
                PassSettings.from_config(app.config),
            )
        finally:
            db.session.remove()


@click.command("scheduler")
@click.option(
    "--interval",
    type=click.IntRange(min=1),
    default=None,
    help="Seconds between passes (default: TWINFLOW_SCHEDULER_INTERVAL, 60).",
)
@with_appcontext
def scheduler_command(interval):
    """Run the reminder scheduler until stopped: one pass at start, then one per interval."""
    from zoneinfo import ZoneInfo

    from twinflow.deadlines.scheduler import build_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    app = current_app._get_current_object()
    interval = interval or int(app.config.get("SCHEDULER_INTERVAL", 60))
    log = logging.getLogger("twinflow.scheduler")

    def job():
        result = _one_pass(app)
        log.info("pass done: %s", result.summary())

    scheduler = build_scheduler(
        job, interval_seconds=interval, timezone=ZoneInfo(app.config.get("TIMEZONE") or "UTC")
    )

    def stop(_signum, _frame):
        # A pass cut short is safe (each batch is one transaction); don't wait for it.
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    click.echo(f"twinflow scheduler: a pass every {interval}s; stop with Ctrl-C or SIGTERM")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is the normal way to stop it
        scheduler.start()


@click.command("remind")
@click.option("--now", "now", is_flag=True, help="Run one scheduler pass now and exit.")
@with_appcontext
def remind_command(now):
    """Send due reminders, escalations, digests and queued e-mail once (for cron and tests)."""
    if not now:
        click.echo("Nothing done: pass --now to run one scheduler pass.", err=True)
        sys.exit(2)
    result = _one_pass(current_app._get_current_object())
    click.echo(result.summary())


commands = [scheduler_command, remind_command]
