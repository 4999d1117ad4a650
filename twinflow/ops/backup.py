"""`twinflow backup` and `twinflow restore`: the database and the documents, from whichever
store, in one archive whose manifest lists the SHA-256 of every file; a restore checks them
all before it touches anything, and only ever fills an empty database and folder."""

import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from twinflow.documents.models import Document
from twinflow.documents.storage import DocumentStore, LocalStorage, hash_of
from twinflow.ops.archive import (
    DOCUMENTS,
    DUMP_NAMES,
    MANIFEST,
    BackupError,
    Manifest,
    backend_of,
    dump_database,
    load_database,
    sha256_file,
)


def backup(session: Session, url: str, store: DocumentStore, output: Path) -> Manifest:
    """Dumps the database first, then adds every document the live database lists (a superset
    of the dump's: a document uploaded meanwhile is carried along, never missing)."""
    backend = backend_of(url)
    partial = output.with_name(output.name + ".part")
    with tempfile.TemporaryDirectory(prefix="twinflow-backup-") as work:
        dump = Path(work) / DUMP_NAMES[backend]
        dump_database(url, dump)
        manifest = Manifest(
            backend=backend,
            database_file=dump.name,
            database_sha256=sha256_file(dump),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            schema=sorted(session.scalars(text("SELECT version_num FROM alembic_version"))),
        )
        try:
            # It holds everything, password hashes included: the owner alone may read it.
            partial.touch(mode=0o600, exist_ok=False)
            with tarfile.open(partial, "w") as archive:
                archive.add(dump, arcname=dump.name)
                _add_documents(session, store, archive, manifest)
                _add_text(archive, MANIFEST, manifest.to_json(), Path(work))
            partial.replace(output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def _add_documents(session, store, archive: tarfile.TarFile, manifest: Manifest) -> None:
    rows = session.execute(
        select(Document.id, Document.storage_key, Document.sha256, Document.size_bytes).order_by(
            Document.id
        )
    ).all()
    session.rollback()  # no transaction held open while the files stream
    for document_id, key, sha256, size in rows:
        try:
            handle = store.open(key)
        except (OSError, ValueError):
            manifest.problems.append({"document_id": document_id, "key": key, "problem": "missing"})
            continue
        with handle:
            if hash_of(handle) != sha256:
                manifest.problems.append(
                    {"document_id": document_id, "key": key, "problem": "SHA-256 differs"}
                )
                continue
            handle.seek(0)
            info = tarfile.TarInfo(f"{DOCUMENTS}/{key}")
            info.size, info.mode, info.mtime = size, 0o600, time.time()
            archive.addfile(info, handle)
        manifest.documents.append({"key": key, "sha256": sha256, "size": size})


def _add_text(archive: tarfile.TarFile, name: str, content: str, work: Path) -> None:
    path = work / name
    path.write_text(content, encoding="utf-8")
    archive.add(path, arcname=name)


@dataclass
class Restored:
    manifest: Manifest
    documents: int
    skipped: int  # in the archive but not referenced by the restored database


def read_archive(archive_path: Path, work: Path) -> Manifest:
    """Unpacks into `work` and checks every checksum; raises BackupError naming the first bad
    file. Nothing outside `work` is touched."""
    try:
        with tarfile.open(archive_path, "r") as archive:
            archive.extractall(work, filter="data")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive_path}: not a readable archive ({exc})") from None
    manifest_path = work / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{archive_path}: no {MANIFEST}: not a twinflow backup")
    manifest = Manifest.from_json(manifest_path.read_text(encoding="utf-8"))
    dump = work / manifest.database_file
    if not dump.is_file() or sha256_file(dump) != manifest.database_sha256:
        raise BackupError(f"{manifest.database_file}: missing or its SHA-256 differs")
    for entry in manifest.documents:
        path = work / DOCUMENTS / entry["key"]
        if not path.is_file() or sha256_file(path) != entry["sha256"]:
            raise BackupError(f"document {entry['key']}: missing or its SHA-256 differs")
    return manifest


def check_empty(engine, store: DocumentStore) -> None:
    tables = inspect(engine).get_table_names()
    if tables:
        raise BackupError(
            f"the database is not empty ({len(tables)} tables): restore only fills an empty "
            "one; create a new database and point TWINFLOW_DATABASE_URL at it"
        )
    if isinstance(store, LocalStorage) and store.root.exists() and any(store.root.iterdir()):
        raise BackupError(
            f"the document folder {store.root} is not empty: restore only fills an empty one"
        )


def restore(
    session: Session, url: str, store: DocumentStore, archive_path: Path, dispose
) -> Restored:
    """`dispose()` closes the app's pooled connections, so the loaded schema is read fresh."""
    with tempfile.TemporaryDirectory(prefix="twinflow-restore-") as name:
        work = Path(name)
        manifest = read_archive(archive_path, work)
        if manifest.backend != backend_of(url):
            raise BackupError(
                f"the archive holds a {manifest.backend} database; the target is "
                f"{backend_of(url)}: restore into the same kind of database"
            )
        check_empty(session.get_bind(), store)
        session.rollback()
        dispose()
        load_database(url, work / manifest.database_file)
        dispose()
        wanted = set(session.scalars(select(Document.storage_key)))
        restored = 0
        for entry in manifest.documents:
            if entry["key"] not in wanted:
                continue
            with open(work / DOCUMENTS / entry["key"], "rb") as handle:
                size, sha256 = store.put(entry["key"], handle)
            session.commit()
            if (size, sha256) != (entry["size"], entry["sha256"]):
                raise BackupError(f"document {entry['key']} was not stored intact")
            restored += 1
        missing = wanted - {e["key"] for e in manifest.documents}
        if missing:
            raise BackupError(
                f"{len(missing)} document(s) of the database are not in the archive "
                f"(e.g. {sorted(missing)[0]}): the backup listed them as problems"
            )
        return Restored(manifest, restored, len(manifest.documents) - restored)
