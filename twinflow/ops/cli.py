"""`twinflow documents migrate`, `twinflow backup` and `twinflow restore`."""

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


def _store(name: str):
    from twinflow.documents.storage import local_storage, storage_from_config
    from twinflow.extensions import db

    config = dict(current_app.config, DOCUMENT_STORE=name)
    if name == "local":
        return local_storage(config, current_app.instance_path)
    return storage_from_config(config, current_app.instance_path, session=lambda: db.session)


@click.group("documents", help="Uploaded documents and where they are stored.")
def documents_cli():
    pass


@documents_cli.command("migrate")
@click.option(
    "--to",
    "target",
    type=click.Choice(["database", "local"]),
    required=True,
    help="The store to copy into; the other one (UPLOAD_DIR or the database) is read.",
)
@with_appcontext
def documents_migrate(target):
    """Copy every document into another store, each checked against its SHA-256 before and
    after; safe to run again. Then set TWINFLOW_DOCUMENT_STORE and restart the web workers."""
    from twinflow.extensions import db
    from twinflow.ops.documents import move_documents

    source = "local" if target == "database" else "database"
    result = move_documents(db.session, _store(source), _store(target))
    click.echo(
        f"{result.copied} document(s) copied to the {target} store and verified, "
        f"{result.already_there} already there intact, {len(result.failed)} failed"
    )
    for document_id, reason in result.failed:
        click.echo(f"  document {document_id}: {reason}", err=True)
    if result.failed:
        sys.exit(1)


@click.command("backup")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The archive to write (default: twinflow-backup-<UTC time>.tar here).",
)
@with_appcontext
def backup_command(output):
    """Write the database and every document into one archive, with their SHA-256."""
    from twinflow.extensions import db
    from twinflow.ops.archive import BackupError
    from twinflow.ops.backup import backup
    from twinflow.services import get_storage

    output = output or Path(f"twinflow-backup-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.tar")
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    # Refuse before dumping anything: a dump that cannot be written is lost work.
    if not output.parent.is_dir():
        raise click.ClickException(f"--output: the folder {output.parent} does not exist")
    try:
        manifest = backup(db.session, url, get_storage(), output)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"wrote {output}: {manifest.backend} database (schema {', '.join(manifest.schema)}), "
        f"{len(manifest.documents)} document(s), checksums in manifest.json"
    )
    for problem in manifest.problems:
        click.echo(
            f"  NOT BACKED UP: document {problem['document_id']}: {problem['problem']}", err=True
        )
    if manifest.problems:
        sys.exit(1)


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(archive):
    """Restore a backup into an EMPTY database (TWINFLOW_DATABASE_URL) and an empty document
    store, after checking every checksum; then verify the audit chain."""
    from twinflow.audit.operations import verify_chain
    from twinflow.extensions import db
    from twinflow.ops.archive import BackupError
    from twinflow.ops.backup import restore
    from twinflow.services import get_storage

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        done = restore(db.session, url, get_storage(), archive, dispose=db.engine.dispose)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"restored {archive}: {done.manifest.backend} database of {done.manifest.created_at}, "
        f"{done.documents} document(s) verified"
        + (f", {done.skipped} not referenced and left out" if done.skipped else "")
    )
    chain = verify_chain(db.session)
    if not chain.ok:
        click.echo(f"audit chain BROKEN at event {chain.broken_seq}: {chain.reason}", err=True)
        sys.exit(1)
    click.echo(f"audit chain ok: {chain.checked} events checked")


commands = [documents_cli, backup_command, restore_command]
