"""Uploaded files: stored under server-chosen names, size-limited while they stream in, checked
against their declared type, hashed (SHA-256) to detect tampering.

Where the bytes live is a document store, chosen by TWINFLOW_DOCUMENT_STORE: `local` (a
folder, this module) or `database` (chunks in the database, database_storage.py), which every
web machine shares. Both offer the same small surface, `DocumentStore`.
"""

import hashlib
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from werkzeug.utils import secure_filename

from twinflow.i18n import gettext, lazy_gettext
from twinflow.workflow.errors import InvalidData

CHUNK = 64 * 1024
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls


@dataclass(frozen=True)
class FileType:
    content_type: str
    # The file's first bytes must start with one of these; None: text, checked as UTF-8.
    magic: tuple[bytes, ...] | None
    # What people call it, with its article: "its content is not a PDF file".
    name: str = ""


ALLOWED_TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", (b"%PDF-",), lazy_gettext("a PDF file")),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (ZIP,),
        lazy_gettext("a Word document (.docx)"),
    ),
    "xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (ZIP,),
        lazy_gettext("an Excel workbook (.xlsx)"),
    ),
    "pptx": FileType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (ZIP,),
        lazy_gettext("a PowerPoint presentation (.pptx)"),
    ),
    "odt": FileType(
        "application/vnd.oasis.opendocument.text", (ZIP,), lazy_gettext("an OpenDocument text")
    ),
    "ods": FileType(
        "application/vnd.oasis.opendocument.spreadsheet",
        (ZIP,),
        lazy_gettext("an OpenDocument spreadsheet"),
    ),
    "doc": FileType("application/msword", (OLE,), lazy_gettext("a Word document (.doc)")),
    "xls": FileType("application/vnd.ms-excel", (OLE,), lazy_gettext("an Excel workbook (.xls)")),
    "png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",), lazy_gettext("a PNG image")),
    "jpg": FileType("image/jpeg", (b"\xff\xd8\xff",), lazy_gettext("a JPEG image")),
    "jpeg": FileType("image/jpeg", (b"\xff\xd8\xff",), lazy_gettext("a JPEG image")),
    "txt": FileType("text/plain", None, lazy_gettext("plain text (UTF-8)")),
    "csv": FileType("text/csv", None, lazy_gettext("CSV text (UTF-8)")),
}
# Clients often send a generic type; the extension and the content decide then.
GENERIC_TYPES = ("", "application/octet-stream")


@dataclass(frozen=True)
class UploadLimits:
    """Passed in by the adapter from its configuration (MAX_UPLOAD_BYTES ...)."""

    max_bytes: int = 20 * 1024 * 1024
    allowed: Mapping[str, FileType] = field(default_factory=lambda: ALLOWED_TYPES)


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    sha256: str
    content_type: str
    filename: str


def clean_filename(name: str | None) -> str:
    """werkzeug's secure_filename: no directories, no dots in front, ASCII only."""
    cleaned = secure_filename(name or "")
    if not cleaned or "." not in cleaned:
        raise InvalidData(
            {"filename": [gettext("must be a file name with an extension, e.g. report.pdf")]}
        )
    return cleaned[:200]


def check_type(filename: str, content_type: str | None, limits: UploadLimits) -> FileType:
    extension = filename.rsplit(".", 1)[-1].lower()
    kind = limits.allowed.get(extension)
    if kind is None:
        raise InvalidData(
            {
                "file": [
                    gettext(
                        ".%(extension)s files are not accepted; allowed: %(allowed)s",
                        extension=extension,
                        allowed=", ".join(sorted(limits.allowed)),
                    )
                ]
            }
        )
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    if declared not in GENERIC_TYPES and declared != kind.content_type:
        raise InvalidData(
            {
                "content_type": [
                    gettext(
                        "%(declared)s does not match a .%(extension)s file (%(expected)s)",
                        declared=declared,
                        extension=extension,
                        expected=kind.content_type,
                    )
                ]
            }
        )
    return kind


def _content_matches(kind: FileType, head: bytes) -> bool:
    if kind.magic is not None:
        return any(head.startswith(m) for m in kind.magic)
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4  # a character cut at the end of the sample
    return True


def new_key() -> str:
    """The server's name for a file; the client's is only displayed."""
    unique = uuid.uuid4().hex
    return f"{unique[:2]}/{unique}"


def receive(
    stream: BinaryIO, kind: FileType, limits: UploadLimits, write: Callable[[bytes], None]
) -> tuple[int, str]:
    """Hands the upload to `write` chunk by chunk, refusing as soon as the limit is passed;
    the content must look like its type. Returns (size, SHA-256)."""
    digest, size, head = hashlib.sha256(), 0, b""
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limits.max_bytes:
            raise InvalidData(
                {
                    "file": [
                        gettext(
                            "is larger than the limit of %(limit)s",
                            limit=_megabytes(limits.max_bytes),
                        )
                    ]
                }
            )
        if len(head) < 512:
            head += chunk[: 512 - len(head)]
        digest.update(chunk)
        write(chunk)
    if size == 0:
        raise InvalidData({"file": [gettext("is empty")]})
    if not _content_matches(kind, head):
        what = kind.name or gettext("of the type its name says (%(type)s)", type=kind.content_type)
        raise InvalidData({"file": [gettext("its content is not %(what)s", what=what)]})
    return size, digest.hexdigest()


class DocumentStore(Protocol):
    """What the document operations, `documents migrate`, backup and restore need of a store."""

    def save(
        self, stream: BinaryIO, filename: str | None, content_type: str | None, limits: UploadLimits
    ) -> StoredFile:
        """A checked upload under a new key (nothing kept when refused)."""

    def put(self, key: str, stream: BinaryIO) -> tuple[int, str]:
        """Copies an already-checked file in under `key` (migration, restore): (size, SHA-256)."""

    def open(self, key: str) -> BinaryIO:
        """A readable, seekable handle, read piece by piece; OSError when the file is missing."""

    def abandon(self, key: str) -> None:
        """The record that was to point at `key` was rolled back: drop what was saved."""

    def delete(self, key: str) -> None: ...


class LocalStorage:
    """A folder. Behind a load balancer each machine has its own: use the database store
    there, or share the folder (NFS) yourself."""

    name = "local"

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def save(
        self, stream: BinaryIO, filename: str | None, content_type: str | None, limits: UploadLimits
    ) -> StoredFile:
        """Streams to a temporary file; nothing is left behind when it is refused."""
        name = clean_filename(filename)
        kind = check_type(name, content_type, limits)
        key = new_key()
        size, sha256 = self._write(key, lambda out: receive(stream, kind, limits, out.write))
        return StoredFile(key, size, sha256, kind.content_type, name)

    def put(self, key: str, stream: BinaryIO) -> tuple[int, str]:
        def copy(out) -> tuple[int, str]:
            digest, size = hashlib.sha256(), 0
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                digest.update(chunk)
                out.write(chunk)
            return size, digest.hexdigest()

        return self._write(key, copy)

    def _write(self, key: str, fill: Callable[[BinaryIO], tuple[int, str]]) -> tuple[int, str]:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        try:
            with open(partial, "xb") as out:
                found = fill(out)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return found

    def path(self, key: str) -> Path:
        resolved = (self.root / key).resolve()
        if self.root.resolve() not in resolved.parents:
            raise ValueError(f"storage key {key!r} leaves the storage root")
        return resolved

    def open(self, key: str) -> BinaryIO:
        return open(self.path(key), "rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    abandon = delete


def _megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


def hash_of(handle: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


STORES = ("local", "database")


def store_name(config: Mapping) -> str:
    name = (config.get("DOCUMENT_STORE") or "local").strip().lower()
    if name not in STORES:
        raise ValueError(f"TWINFLOW_DOCUMENT_STORE={name!r} is not one of: {', '.join(STORES)}")
    return name


def local_storage(config: Mapping, instance_path: str | Path) -> LocalStorage:
    """UPLOAD_DIR when configured, else <instance folder>/uploads (plain values: no Flask)."""
    configured = config.get("UPLOAD_DIR")
    return LocalStorage(Path(configured) if configured else Path(instance_path) / "uploads")


def storage_from_config(
    config: Mapping, instance_path: str | Path, session: Callable[[], Any] | None = None
) -> DocumentStore:
    """DOCUMENT_STORE: `local` (the default) or `database`, which needs `session`, a callable
    giving the SQLAlchemy session whose transaction an upload's chunks join."""
    if store_name(config) == "database":
        from twinflow.documents.database_storage import DatabaseStorage

        if session is None:
            raise ValueError("the database document store needs a session")
        return DatabaseStorage(session)
    return local_storage(config, instance_path)


def limits_from_config(config: Mapping) -> UploadLimits:
    return UploadLimits(max_bytes=int(config.get("MAX_UPLOAD_BYTES") or 20 * 1024 * 1024))
