"""Files on the local file system: stored under server-chosen names, size-limited while they
stream in, checked against their declared type, hashed (SHA-256) to detect tampering."""

import hashlib
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from werkzeug.utils import secure_filename

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
    "pdf": FileType("application/pdf", (b"%PDF-",), "a PDF file"),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (ZIP,),
        "a Word document (.docx)",
    ),
    "xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (ZIP,),
        "an Excel workbook (.xlsx)",
    ),
    "pptx": FileType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (ZIP,),
        "a PowerPoint presentation (.pptx)",
    ),
    "odt": FileType("application/vnd.oasis.opendocument.text", (ZIP,), "an OpenDocument text"),
    "ods": FileType(
        "application/vnd.oasis.opendocument.spreadsheet", (ZIP,), "an OpenDocument spreadsheet"
    ),
    "doc": FileType("application/msword", (OLE,), "a Word document (.doc)"),
    "xls": FileType("application/vnd.ms-excel", (OLE,), "an Excel workbook (.xls)"),
    "png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",), "a PNG image"),
    "jpg": FileType("image/jpeg", (b"\xff\xd8\xff",), "a JPEG image"),
    "jpeg": FileType("image/jpeg", (b"\xff\xd8\xff",), "a JPEG image"),
    "txt": FileType("text/plain", None, "plain text (UTF-8)"),
    "csv": FileType("text/csv", None, "CSV text (UTF-8)"),
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
        raise InvalidData({"filename": ["must be a file name with an extension, e.g. report.pdf"]})
    return cleaned[:200]


def check_type(filename: str, content_type: str | None, limits: UploadLimits) -> FileType:
    extension = filename.rsplit(".", 1)[-1].lower()
    kind = limits.allowed.get(extension)
    if kind is None:
        raise InvalidData(
            {
                "file": [
                    f".{extension} files are not accepted; allowed: "
                    + ", ".join(sorted(limits.allowed))
                ]
            }
        )
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    if declared not in GENERIC_TYPES and declared != kind.content_type:
        raise InvalidData(
            {
                "content_type": [
                    f"{declared} does not match a .{extension} file ({kind.content_type})"
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


class LocalStorage:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def save(
        self, stream: BinaryIO, filename: str | None, content_type: str | None, limits: UploadLimits
    ) -> StoredFile:
        """Streams to a temporary file, refusing as soon as the limit is passed; the content
        must look like its type. Nothing is left behind when it is refused."""
        name = clean_filename(filename)
        kind = check_type(name, content_type, limits)
        unique = uuid.uuid4().hex
        key = f"{unique[:2]}/{unique}"  # the server's name; the client's is only displayed
        target = self.root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        digest, size, head = hashlib.sha256(), 0, b""
        try:
            with open(partial, "xb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > limits.max_bytes:
                        raise InvalidData(
                            {
                                "file": [
                                    f"is larger than the limit of {_megabytes(limits.max_bytes)}"
                                ]
                            }
                        )
                    if len(head) < 512:
                        head += chunk[: 512 - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
            if size == 0:
                raise InvalidData({"file": ["is empty"]})
            if not _content_matches(kind, head):
                what = kind.name or f"of the type its name says ({kind.content_type})"
                raise InvalidData({"file": [f"its content is not {what}"]})
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return StoredFile(key, size, digest.hexdigest(), kind.content_type, name)

    def path(self, key: str) -> Path:
        resolved = (self.root / key).resolve()
        if self.root.resolve() not in resolved.parents:
            raise ValueError(f"storage key {key!r} leaves the storage root")
        return resolved

    def open(self, key: str) -> BinaryIO:
        return open(self.path(key), "rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def _megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


def hash_of(handle: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def storage_from_config(config: Mapping, instance_path: str | Path) -> LocalStorage:
    """UPLOAD_DIR when configured, else <instance folder>/uploads (plain values: no Flask)."""
    configured = config.get("UPLOAD_DIR")
    return LocalStorage(Path(configured) if configured else Path(instance_path) / "uploads")


def limits_from_config(config: Mapping) -> UploadLimits:
    return UploadLimits(max_bytes=int(config.get("MAX_UPLOAD_BYTES") or 20 * 1024 * 1024))
