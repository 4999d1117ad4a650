"""`twinflow audit verify | anchor | export`: the tamper-evident audit trail from the shell."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("audit", help="The tamper-evident audit trail.")
def audit_cli():
    pass


def _anchors(path: str | None) -> tuple[list, str | None]:
    """The anchors of --anchors FILE (which must be readable), else of the configured anchor
    file when it exists, else none."""
    from twinflow.audit.anchors import AnchorFileError, read_anchor_file

    configured = current_app.config.get("AUDIT_ANCHOR_FILE")
    if path is None and configured and Path(configured).exists():
        path = configured
    if path is None:
        return [], None
    try:
        return read_anchor_file(path), path
    except (OSError, AnchorFileError) as exc:
        raise click.ClickException(f"cannot use the anchors in {path}: {exc}") from None


def _report_broken(result) -> None:
    click.echo(
        f"BROKEN at event {result.broken_seq}: {result.reason} "
        f"({result.checked} events verified before it)",
        err=True,
    )
    sys.exit(1)


@audit_cli.command("verify")
@click.option(
    "--anchors",
    "anchors_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="A file of anchors (default: TWINFLOW_AUDIT_ANCHOR_FILE when it exists).",
)
@with_appcontext
def audit_verify(anchors_path):
    """Recompute the chain with the audit key and hold it against the anchors; exit 1 naming
    the first bad event and the reason."""
    from twinflow.audit.operations import verify_chain
    from twinflow.extensions import db

    anchors, path = _anchors(anchors_path)
    result = verify_chain(db.session, anchors=anchors)
    if not result.ok:
        _report_broken(result)
    against = f", against {len(anchors)} anchor(s) of {path}" if path else ""
    click.echo(f"ok: {result.summary()}{against}")


@audit_cli.command("anchor")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="The file the anchor is appended to ('-': standard output; "
    "default: TWINFLOW_AUDIT_ANCHOR_FILE).",
)
@with_appcontext
def audit_anchor(output):
    """Verify the chain and append a signed checkpoint of its head (event, hash, time, where
    keying began) to a file kept outside the database; exit 1, writing nothing, if broken."""
    from twinflow.audit.anchors import AnchorFileError, take_anchor
    from twinflow.extensions import db

    path = output or current_app.config.get("AUDIT_ANCHOR_FILE")
    if not path:
        raise click.ClickException(
            "no anchor file: give --output FILE (or - for standard output), or set "
            "TWINFLOW_AUDIT_ANCHOR_FILE"
        )
    now = current_app.extensions["twinflow.engine"].clock.now()
    try:
        result, anchor = take_anchor(db.session, now, None if path == "-" else path)
    except (OSError, AnchorFileError) as exc:
        raise click.ClickException(f"cannot use the anchors in {path}: {exc}") from None
    if anchor is None:
        click.echo("No anchor written: the chain does not verify.", err=True)
        _report_broken(result)
    if path == "-":
        click.echo(anchor.to_line())
        return
    click.echo(f"anchored event {anchor.seq} (hash {anchor.hash[:16]}...) in {path}")


@audit_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="json")
@click.option("--output", type=click.File("w"), default="-")
@with_appcontext
def audit_export(fmt, output):
    from twinflow.audit.operations import export_csv, export_json, iter_events
    from twinflow.audit.words import AuditWords
    from twinflow.extensions import db

    writer = export_csv if fmt == "csv" else export_json
    words = AuditWords(db.session, current_app.extensions["twinflow.registry"])
    count = writer(iter_events(db.session), output, words)
    click.echo(f"exported {count} events", err=True)


commands = [audit_cli]
