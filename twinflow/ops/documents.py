"""`twinflow documents migrate`: copies every document from one store to the other, checking
each file against the SHA-256 recorded at upload before and after the copy. Run again, it
skips what is already there intact (documents uploaded meanwhile are copied then)."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinflow.documents.models import Document
from twinflow.documents.storage import DocumentStore, hash_of


@dataclass
class MoveResult:
    copied: int = 0
    already_there: int = 0
    # (document id, reason) of each document that could not be copied intact.
    failed: list[tuple[int, str]] = field(default_factory=list)


def _intact(store: DocumentStore, key: str, sha256: str) -> bool | None:
    """True/False: found and (not) matching; None: not there."""
    try:
        handle = store.open(key)
    except (OSError, ValueError):
        return None
    with handle:
        return hash_of(handle) == sha256


def move_documents(session: Session, source: DocumentStore, target: DocumentStore) -> MoveResult:
    """Commits after each document: an interrupted run keeps what it copied."""
    result = MoveResult()
    rows = session.execute(
        select(Document.id, Document.storage_key, Document.sha256).order_by(Document.id)
    ).all()
    session.rollback()
    for document_id, key, sha256 in rows:
        if _intact(target, key, sha256):
            result.already_there += 1
            continue
        found = _intact(source, key, sha256)
        if found is None:
            result.failed.append((document_id, "missing from the source store"))
            continue
        if not found:
            result.failed.append((document_id, "does not match its SHA-256 in the source store"))
            continue
        with source.open(key) as handle:
            target.put(key, handle)
        session.commit()
        if not _intact(target, key, sha256):
            result.failed.append((document_id, "copy does not match its SHA-256"))
            continue
        result.copied += 1
    return result
