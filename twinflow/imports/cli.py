"""`twinflow import projects FILE [--dry-run] [--format csv|xlsx] [--skip-invalid]`."""

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("import", help="Bring existing records into twinflow.")
def import_cli():
    pass


@import_cli.command("projects")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Judge every row and report; write nothing.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default=None,
    help="The file's format (default: from its name, else its first bytes).",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid rows and report the others (default: all or nothing).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@with_appcontext
def import_projects(path, dry_run, fmt, skip_invalid, as_json):
    """Import projects at any stage from a CSV or XLSX file with the pinned columns
    (docs/import.md). Every row is judged on its own; the report names row, column, value and
    reason. Exit 1 when the file or a row is refused (nothing written unless --skip-invalid)."""
    from twinflow.extensions import db
    from twinflow.imports.operations import run_import_and_commit

    data = Path(path).read_bytes()
    report = run_import_and_commit(
        db.session,
        current_app.extensions["twinflow.engine"],
        None,
        data,
        filename=Path(path).name,
        fmt=fmt,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        via="cli",
    )
    click.echo(json.dumps(report.as_dict(), indent=2) if as_json else report.text())
    if report.errors and not (report.applied and skip_invalid):
        sys.exit(1)


commands = [import_cli]
