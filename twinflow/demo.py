"""`twinflow demo`: migrate the embedded database, seed demo data once, serve on 127.0.0.1:5000."""

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple


@click.command("demo")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--no-serve", is_flag=True, help="Only migrate and seed.")
@with_appcontext
def demo_command(host, port, no_serve):
    """Set up a demo database with users for every role and projects in several stages."""
    from flask_migrate import upgrade

    from twinflow.demo_data import seed_demo
    from twinflow.extensions import db

    upgrade()
    created = seed_demo(
        db.session,
        current_app.extensions["twinflow.engine"],
        current_app.config["PASSWORD_HASH_METHOD"],
    )
    if created:
        click.echo("Seeded demo data. Sign in with any of these (password: twinflow-demo):")
        for email, role in created:
            click.echo(f"  {email:36} {role}")
    else:
        click.echo("Demo data already present.")
    if no_serve:
        return
    click.echo(f"twinflow is at http://{host}:{port}/")
    scheduler = _start_scheduler()
    try:
        # Flask ignores app.run() inside its own CLI, so serve with werkzeug directly.
        run_simple(host, port, current_app._get_current_object(), threaded=True)
    finally:
        _stop_scheduler(scheduler)


def _start_scheduler():
    """The reminder scheduler runs in its own process (never inside the web server), on the
    same database and settings, and ends with the server."""
    import os
    import subprocess
    import sys

    env = dict(os.environ)
    env.setdefault("TWINFLOW_DATABASE_URL", current_app.config["SQLALCHEMY_DATABASE_URI"])
    click.echo("Starting the reminder scheduler (twinflow scheduler) beside the server.")
    return subprocess.Popen(
        [sys.executable, "-c", "from twinflow.cli import main; main()", "scheduler"], env=env
    )


def _stop_scheduler(process) -> None:
    import subprocess

    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
