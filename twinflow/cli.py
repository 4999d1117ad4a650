"""The `twinflow` command: Flask's CLI (run, db ...) plus workflows, users and demo; features
add theirs in their own cli.py (audit, scheduler)."""

import json
import os
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from twinflow.text import control_problem
from twinflow.workflow.errors import DefinitionError, WorkflowError


class OneLine(click.ParamType):
    """Text typed on the command line, held to the API's and the forms' rule (twinflow.text):
    a control character is a usage error naming the option, before anything is stored."""

    name = "text"

    def convert(self, value, param, ctx):
        problem = control_problem(value)
        if problem:
            self.fail(problem, param, ctx)
        return value


TEXT = OneLine()


def main() -> None:
    # The demo serves plain HTTP on loopback, where Secure cookies would never come back.
    if len(sys.argv) > 1 and sys.argv[1] == "demo":
        os.environ.setdefault("TWINFLOW_ENV", "development")
        # A person reads the demo's log in a terminal; its scheduler child inherits this.
        os.environ.setdefault("TWINFLOW_LOG_FORMAT", "console")

    FlaskGroup(create_app=_create_app, help="twinflow: EU Twinning lifecycles.")(
        prog_name="twinflow"
    )


def _create_app():
    """The app of a twinflow command, whose process logs as TWINFLOW_LOG_FORMAT says. A
    configuration that refuses to start (no audit key in production) is one clear line, not a
    traceback."""
    from twinflow import create_app
    from twinflow.audit.keys import AuditKeyError
    from twinflow.ops.logs import configure_logging

    try:
        app = create_app()
    except AuditKeyError as exc:
        raise click.ClickException(str(exc)) from None
    configure_logging(app.config.get("LOG_FORMAT"), app.config.get("LOG_LEVEL"))
    return app


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
@click.argument("name", type=TEXT)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "mermaid"]), default="text")
@with_appcontext
def workflows_show(name, fmt):
    """Print a definition: its states, transitions and who may fire them."""
    from twinflow.workflow.describe import describe
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


class ProjectIds(click.ParamType):
    """`--projects 3,5` or `--projects 3 --projects 5`."""

    name = "ids"

    def convert(self, value, param, ctx):
        ids = []
        for part in str(value).replace(",", " ").split():
            if not (part.isascii() and part.isdigit()) or not 1 <= int(part) <= 2_147_483_647:
                self.fail(f"{part!r} is not a project id", param, ctx)
            ids.append(int(part))
        return ids


class StateMapping(OneLine):
    """`--map old_state=new_state`."""

    name = "old=new"

    def convert(self, value, param, ctx):
        old, sep, new = super().convert(value, param, ctx).partition("=")
        if not sep or not old.strip() or not new.strip():
            self.fail(f"{value!r} is not old_state=new_state", param, ctx)
        return old.strip(), new.strip()


def _option_of(field: str) -> str:
    """The API's field name as the option that sets it: map.selection -> --map selection
    (projects.<index> -> --projects: its message names the id)."""
    head, _, rest = field.partition(".")
    option = {"to_version": "--to", "map": "--map", "projects": "--projects"}.get(head, head)
    return f"{option} {rest}" if head == "map" else option


@workflows_cli.command("migrate")
@click.argument("name", type=TEXT)
@click.option("--to", "to_version", required=True, type=TEXT, help="Version (content hash).")
@click.option(
    "--projects",
    multiple=True,
    type=ProjectIds(),
    help="Only these project ids, repeated or comma-separated (default: all running).",
)
@click.option("--map", "pairs", multiple=True, type=StateMapping(), help="old_state=new_state")
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@with_appcontext
def workflows_migrate(name, to_version, projects, pairs, dry_run, fmt):
    """Move running projects to another version of their definition; exit 1 if any project
    was refused (the others still move)."""
    from twinflow.api.migration_schemas import MigrationReportSchema
    from twinflow.extensions import db
    from twinflow.workflow.migrate import migrate_projects

    mapping = {}
    for old, new in pairs:
        if mapping.get(old, new) != new:
            raise click.BadParameter(f"{old!r} is mapped twice", param_hint="--map")
        mapping[old] = new
    try:
        report = migrate_projects(
            db.session,
            _engine(),
            None,
            name,
            to_version,
            projects=[i for ids in projects for i in ids] if projects else None,
            mapping=mapping,
            dry_run=dry_run,
        )
    except WorkflowError as exc:
        errors = getattr(exc, "errors", None)
        if not errors:
            raise click.ClickException(exc.message) from None
        lines = [f"{_option_of(key)}: {'; '.join(reasons)}" for key, reasons in errors.items()]
        raise click.UsageError("\n".join([exc.message, *lines])) from None
    body = MigrationReportSchema().dump(report.as_dict())
    if fmt == "json":
        click.echo(json.dumps(body, indent=2))
    else:
        _print_migration(body)
    sys.exit(1 if report.refused else 0)


def _print_migration(body: dict) -> None:
    head = "dry run, nothing changed" if body["dry_run"] else "applied"
    click.echo(f"{body['workflow']} -> version {body['to_version']} ({head})")
    for p in body["projects"]:
        state = p["state"]
        click.echo(
            f"project {p['project_id']} {p['reference']}: {p['outcome'].replace('_', ' ')}"
            f" (from version {p['from_version']})"
        )
        for reason in p["reasons"]:
            click.echo(f"  reason: {reason}")
        if state["to"]:
            click.echo(f"  state: {state['from']} -> {state['to']} ({state['mapped_by']})")
        for verb in ("added", "dropped"):
            for d in p["deadlines"][verb]:
                click.echo(f"  deadline {verb}: {d['key']} due {d['due_at'][:10]}")
        for s in p["signoffs"]["withdrawn"]:
            click.echo(f"  sign-off withdrawn: #{s['id']} {s['trigger']}: {s['reason']}")
    if body["already_current"]:
        click.echo(f"already on this version: {', '.join(map(str, body['already_current']))}")
    summary = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in body["summary"].items())
    click.echo(f"summary: {summary}")


@click.group("users", help="User accounts.")
def users_cli():
    pass


@users_cli.command("create")
@click.argument("email", type=TEXT)
@click.option("--password", required=True, type=TEXT)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "coordinator", "beneficiary", "member_state"]),
)
@click.option("--organisation", default=None, type=TEXT, help="Administration or institution.")
@click.option("--country", default=None, type=TEXT, help="ISO 3166 two-letter code.")
@click.option("--name", default="", type=TEXT)
@click.option(
    "--organisation-id",
    default=None,
    type=click.IntRange(1, 2_147_483_647),
    help="The organisation it belongs to (`twinflow organisations list`); a coordinator "
    "sees the projects of the countries it covers.",
)
@with_appcontext
def users_create(email, password, role, organisation, country, name, organisation_id):
    from twinflow.extensions import db
    from twinflow.organisations.operations import CONSOLE, create_member

    try:
        user = create_member(
            db.session,
            CONSOLE,
            commit=True,
            organisation_id=organisation_id,
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
    if user.role == "coordinator" and user.organisation_id is None:
        click.echo(
            "note: it sees no project until it belongs to an organisation (--organisation-id)"
        )


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
