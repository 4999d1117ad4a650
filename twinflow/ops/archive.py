"""What goes into a backup archive and how it is read back: a tar file holding the database
(pg_dump's custom format, or an SQLite copy), every document by its storage key, and
manifest.json with the SHA-256 of each."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import URL, make_url

FORMAT = 1
MANIFEST = "manifest.json"
DOCUMENTS = "documents"
DUMP_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Manifest:
    backend: str
    database_file: str
    database_sha256: str
    created_at: str
    schema: list[str]
    documents: list[dict] = field(default_factory=list)
    # Documents that could not be backed up (missing, or not matching their SHA-256).
    problems: list[dict] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, **self.__dict__}, indent=2)

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        data = json.loads(text)
        if data.pop("format", None) != FORMAT:
            raise BackupError(f"{MANIFEST}: not a twinflow backup of format {FORMAT}")
        return cls(**data)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def backend_of(url: str | URL) -> str:
    name = make_url(url).get_backend_name()
    if name not in DUMP_NAMES:
        raise BackupError(f"backups of {name} databases are not supported (PostgreSQL, SQLite)")
    return name


def libpq_env(url: str | URL) -> dict[str, str]:
    """The connection for pg_dump and pg_restore as PG* variables: the password never shows
    on a command line (where `ps` would show it)."""
    url = make_url(url)
    env = dict(os.environ)
    values = {
        "PGHOST": url.query.get("host") or url.host,
        "PGPORT": url.port,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode"),
    }
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return env


def run_tool(args: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(args[0])
    if tool is None:
        raise BackupError(
            f"{args[0]} is not installed: install PostgreSQL's client of the server's major "
            "version (Debian: postgresql-client-15)"
        )
    done = subprocess.run([tool, *args[1:]], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")


def dump_database(url: str, target: Path) -> None:
    """A consistent copy taken while the app runs. Documents kept in the database go into the
    archive as files like the others, so their chunks are left out of the dump."""
    if backend_of(url) == "postgresql":
        run_tool(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--exclude-table-data=document_chunks",
                f"--file={target}",
            ],
            libpq_env(url),
        )
        return
    source = sqlite3.connect(f"file:{make_url(url).database}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # SQLite's online backup API: consistent while others write
        copy.execute("DELETE FROM document_chunks")
        copy.commit()
        copy.execute("VACUUM")
    finally:
        copy.close()
        source.close()


def load_database(url: str, dump: Path) -> None:
    """Into an empty database (checked by the caller)."""
    if backend_of(url) == "postgresql":
        run_tool(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={make_url(url).database}",
                str(dump),
            ],
            libpq_env(url),
        )
        return
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    target = sqlite3.connect(make_url(url).database)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
