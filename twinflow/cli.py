"""The `twinflow` command: Flask's CLI (run, db ...) plus workflows, users and demo; features
add theirs in their own cli.py (audit, scheduler)."""

import json
import os
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from twinflow.workflow.errors import DefinitionError, WorkflowError


def main() -> None:
    # The demo serves plain HTTP on loopback, where Secure cookies would never come back.
    if len(sys.argv) > 1 and sys.argv[1] == "demo":
        os.environ.setdefault("TWINFLOW_ENV", "development")
    FlaskGroup(create_app=_create_app, help="twinflow: EU Twinning lifecycles.")(
        prog_name="twinflow"
    )


def _create_app():
    """A configuration that refuses to start (no audit key in production) is one clear line,
    not a traceback."""
    from twinflow import create_app
    from twinflow.audit.keys import AuditKeyError

    try:
        return create_app()
    except AuditKeyError as exc:
        raise click.ClickException(str(exc)) from None


def _engine():
    return current_app.extensions["twinflow.engine"]


@click.group("workflows", help="Lifecycle definitions.")
def workflows_cli():
    pass


@workflows_cli.command("check")
@click.argument("path", type=click.Path(dir_okay=False))
def workflows_check(path):
    """Validate a definition file; exit 1 with every problem named."""
    from twinflow.workflow.definition import load_file

    try:
        definition = load_file(path)
    except DefinitionError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(
        f"{path}: ok ({definition.name}, version {definition.version}, "
        f"{len(definition.states)} states, {len(definition.transitions)} transitions)"
    )


@workflows_cli.command("show")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "mermaid"]), default="text")
@with_appcontext
def workflows_show(name, fmt):
    """Print a definition: its states, transitions and who may fire them."""
    from twinflow.workflow.definition import describe
    from twinflow.workflow.diagram import mermaid

    try:
        definition = _engine().registry.current(name)
    except WorkflowError as exc:
        raise click.ClickException(exc.message) from None
    if fmt == "json":
        click.echo(json.dumps(describe(definition), indent=2))
        return
    if fmt == "mermaid":
        click.echo(mermaid(definition))
        return
    click.echo(f"{definition.title} ({definition.name}) version {definition.version}")
    click.echo(f"initial: {definition.initial}")
    click.echo("states:")
    for s in definition.states.values():
        flag = " (terminal)" if s.terminal else ""
        deadlines = ", ".join(d.key for d in s.deadlines)
        click.echo(f"  {s.name}{flag}" + (f"  deadlines: {deadlines}" if deadlines else ""))
    click.echo("transitions:")
    for t in definition.transitions:
        who = (
            ("approvals of " + " AND ".join(t.approvals)) if t.approvals else " or ".join(t.allowed)
        )
        extra = f"  guards: {', '.join(t.guards)}" if t.guards else ""
        click.echo(f"  {t.trigger}: {', '.join(t.sources)} -> {t.dest}  [{who}]{extra}")


@click.group("users", help="User accounts.")
def users_cli():
    pass


@users_cli.command("create")
@click.argument("email")
@click.option("--password", required=True)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "coordinator", "beneficiary", "member_state"]),
)
@click.option("--organisation", default=None, help="Administration or institution.")
@click.option("--country", default=None, help="ISO 3166 two-letter code.")
@click.option("--name", default="")
@with_appcontext
def users_create(email, password, role, organisation, country, name):
    from twinflow.auth.operations import create_user
    from twinflow.extensions import db

    try:
        user = create_user(
            db.session,
            email=email,
            password=password,
            role=role,
            organisation=organisation,
            country=country,
            name=name,
            now=_engine().clock.now(),
            hash_method=current_app.config["PASSWORD_HASH_METHOD"],
        )
    except WorkflowError as exc:
        details = "; ".join(
            f"{k}: {', '.join(v)}" for k, v in exc.details.items() if isinstance(v, list)
        )
        raise click.ClickException(f"{exc.message} {details}".strip()) from None
    click.echo(f"created user {user.id} {user.email} ({user.role})")


def register(app) -> None:
    """The commands here, plus `commands` of any feature's cli.py (e.g. the scheduler's)."""
    import importlib
    import pkgutil
    from pathlib import Path

    from twinflow.demo import demo_command

    for command in (workflows_cli, users_cli, demo_command):
        app.cli.add_command(command)
    package = Path(__file__).parent
    for info in sorted(pkgutil.iter_modules([str(package)]), key=lambda i: i.name):
        if info.ispkg and (package / info.name / "cli.py").exists():
            module = importlib.import_module(f"twinflow.{info.name}.cli")
            for command in getattr(module, "commands", []):
                app.cli.add_command(command)
