"""`twinflow portfolio fold`: fold the audit trail's new events into the portfolio's kept
stays (after the upgrade to 0024, the whole trail once, instead of on the first view)."""

import time

import click
from flask.cli import with_appcontext


@click.group("portfolio", help="The portfolio's kept figures.")
def portfolio_cli():
    pass


@portfolio_cli.command("fold")
@with_appcontext
def fold_command():
    from twinflow.extensions import db
    from twinflow.portfolio.kept import fold

    started = time.perf_counter()
    events = fold(db.session)
    db.session.commit()
    click.echo(f"folded {events} audit events in {time.perf_counter() - started:.1f} s")


commands = [portfolio_cli]
