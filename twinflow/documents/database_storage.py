"""Documents kept in the database, in chunks: every web machine sees every file, and a backup
of the database holds them. Uploads and downloads stream one chunk at a time; no file is
ever held whole in memory."""

import bisect
import hashlib
import io
from collections.abc import Callable
from typing import BinaryIO

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.orm import Session

from twinflow.documents.models import DocumentChunk
from twinflow.documents.storage import (
    CHUNK,
    StoredFile,
    UploadLimits,
    check_type,
    clean_filename,
    new_key,
    receive,
)

# Large enough that a 20 MB file is 80 rows, small enough that a reader holds little.
CHUNK_BYTES = 256 * 1024
_TABLE = DocumentChunk.__table__


class DatabaseStorage:
    """`session()` gives the session whose transaction an upload joins: its chunks commit with
    the document's row or vanish with it. Reads use their own short connections, because a
    download streams on after the request's session is gone."""

    name = "database"

    def __init__(self, session: Callable[[], Session]):
        self._session = session

    def save(
        self, stream: BinaryIO, filename: str | None, content_type: str | None, limits: UploadLimits
    ) -> StoredFile:
        name = clean_filename(filename)
        kind = check_type(name, content_type, limits)
        key = new_key()
        writer = _ChunkWriter(self._session(), key)
        size, sha256 = receive(stream, kind, limits, writer.write)
        writer.close()
        return StoredFile(key, size, sha256, kind.content_type, name)

    def put(self, key: str, stream: BinaryIO) -> tuple[int, str]:
        """In the session's transaction, which the caller commits; a key already stored is
        replaced (a migration run again)."""
        session = self._session()
        session.execute(delete(DocumentChunk).where(DocumentChunk.storage_key == key))
        writer = _ChunkWriter(session, key)
        digest, size = hashlib.sha256(), 0
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            digest.update(chunk)
            writer.write(chunk)
        writer.close()
        return size, digest.hexdigest()

    def open(self, key: str) -> BinaryIO:
        engine = self._session().get_bind()
        sizes = _sizes(engine, key)
        if not sizes:
            raise FileNotFoundError(f"no stored chunks for {key}")
        return ChunkReader(engine, key, sizes)

    def abandon(self, key: str) -> None:
        """Nothing to do: the chunks were written in the transaction that was rolled back."""

    def delete(self, key: str) -> None:
        self._session().execute(delete(DocumentChunk).where(DocumentChunk.storage_key == key))


class _ChunkWriter:
    def __init__(self, session: Session, key: str):
        self.session, self.key = session, key
        self.seq, self.buffer = 0, bytearray()

    def write(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= CHUNK_BYTES:
            self._flush(bytes(self.buffer[:CHUNK_BYTES]))
            del self.buffer[:CHUNK_BYTES]

    def close(self) -> None:
        if self.buffer:
            self._flush(bytes(self.buffer))
            self.buffer.clear()

    def _flush(self, data: bytes) -> None:
        self.session.execute(insert(_TABLE).values(storage_key=self.key, seq=self.seq, data=data))
        self.seq += 1


def _sizes(engine: Engine, key: str) -> list[int]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(_TABLE.c.seq, func.length(_TABLE.c.data))
            .where(_TABLE.c.storage_key == key)
            .order_by(_TABLE.c.seq)
        ).all()
    if [seq for seq, _ in rows] != list(range(len(rows))):
        return []  # a chunk is missing: the file is incomplete, as good as gone
    return [size for _, size in rows]


class ChunkReader(io.RawIOBase):
    """A seekable, read-only file over the chunks of one key; holds one chunk at a time."""

    def __init__(self, engine: Engine, key: str, sizes: list[int]):
        super().__init__()
        self._engine, self._key = engine, key
        self._starts = [sum(sizes[:i]) for i in range(len(sizes))]
        self._sizes = sizes
        self.size = sum(sizes)
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def readinto(self, buffer) -> int:
        """Fills the buffer across chunk boundaries (a short read only at the end)."""
        view, done = memoryview(buffer).cast("B"), 0
        while done < len(view) and self._pos < self.size:
            seq = self._chunk_at(self._pos)
            data = self._chunk(seq)
            start = self._pos - self._starts[seq]
            count = min(len(view) - done, len(data) - start)
            view[done : done + count] = data[start : start + count]
            done += count
            self._pos += count
        return done

    def _chunk_at(self, position: int) -> int:
        return bisect.bisect_right(self._starts, position) - 1

    def _chunk(self, seq: int) -> bytes:
        if self._cached is None or self._cached[0] != seq:
            with self._engine.connect() as conn:
                data = conn.scalar(
                    select(_TABLE.c.data).where(
                        _TABLE.c.storage_key == self._key, _TABLE.c.seq == seq
                    )
                )
            if data is None or len(data) != self._sizes[seq]:
                raise OSError(f"chunk {seq} of {self._key} changed while it was read")
            self._cached = (seq, bytes(data))
        return self._cached[1]

    def close(self) -> None:
        self._cached = None
        super().close()
