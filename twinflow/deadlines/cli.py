"""`twinflow scheduler` (its own process, APScheduler) and `twinflow remind --now` (one pass)."""

import contextlib
import signal
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext


def _settings(app):
    """Read and check the settings before any pass, so a typo stops the command with a
    message naming the variable instead of failing every minute in the log."""
    from twinflow.deadlines.scheduler import PassSettings

    try:
        return PassSettings.from_config(app.config)
    except (ValueError, KeyError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise click.ClickException(f"invalid scheduler settings: {exc}") from None


def _one_pass(app, settings):
    from twinflow.deadlines.scheduler import run_pass
    from twinflow.extensions import db

    with app.app_context():
        try:
            return run_pass(db.session, app.extensions["twinflow.engine"].clock, settings)
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
    from twinflow.deadlines.scheduler import build_scheduler

    app = current_app._get_current_object()
    interval = interval or int(app.config.get("SCHEDULER_INTERVAL", 60))
    settings = _settings(app)
    job = _logged_job(app, settings)
    scheduler = build_scheduler(job, interval_seconds=interval, timezone=settings.timezone)

    def stop(_signum, _frame):
        # A pass cut short is safe (each batch is one transaction); don't wait for it.
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    click.echo(f"twinflow scheduler: a pass every {interval}s; stop with Ctrl-C or SIGTERM")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is the normal way to stop it
        scheduler.start()


def _logged_job(app, settings):
    """One pass, logged with its counts and duration and recorded in scheduler_runs (for
    /metrics). A failed pass (the database away) is logged and the process carries on: the
    next pass picks up whatever is still due."""
    from twinflow.extensions import db
    from twinflow.ops.heartbeat import pass_counts, process_name, record_pass
    from twinflow.ops.logs import get_logger

    log = get_logger("twinflow.scheduler")
    clock = app.extensions["twinflow.engine"].clock
    name, started_at = process_name(), clock.now()

    def job():
        began = time.perf_counter()
        counts, error = None, None
        try:
            result = _one_pass(app, settings)
        except Exception as exc:  # logged: the scheduler must outlive it
            error = f"{type(exc).__name__}: {exc}"
            log.error(
                "scheduler pass failed",
                duration_ms=round((time.perf_counter() - began) * 1000, 1),
                error=error,
            )
        else:
            counts = pass_counts(result)
            log.info(
                "scheduler pass",
                duration_ms=round((time.perf_counter() - began) * 1000, 1),
                mails_retrying=result.delivery.retrying,
                smtp_configured=not result.delivery.not_configured,
                **counts,
            )
        with app.app_context():
            try:
                record_pass(
                    db.session,
                    name,
                    started_at,
                    clock.now(),
                    time.perf_counter() - began,
                    counts,
                    error,
                )
            except Exception:  # the heartbeat is best effort
                log.warning("scheduler heartbeat not recorded", exc_info=True)
            finally:
                db.session.remove()

    return job


@click.command("remind")
@click.option("--now", "now", is_flag=True, help="Run one scheduler pass now and exit.")
@with_appcontext
def remind_command(now):
    """Send due reminders, escalations, digests and queued e-mail once (for cron and tests)."""
    if not now:
        click.echo("Nothing done: pass --now to run one scheduler pass.", err=True)
        sys.exit(2)
    app = current_app._get_current_object()
    result = _one_pass(app, _settings(app))
    click.echo(result.summary())


commands = [scheduler_command, remind_command]
