"""The database document store (TWINFLOW_DOCUMENT_STORE=database): files in chunks that every
web machine reads, streamed both ways, committed or rolled back with their document."""

import hashlib
import io
import os
import tracemalloc

import pytest
from sqlalchemy import func, select, update

from tests.implementation.conftest import PDF
from twinflow.audit.models import AuditEvent
from twinflow.documents import operations as documents
from twinflow.documents.database_storage import CHUNK_BYTES, DatabaseStorage
from twinflow.documents.models import Document, DocumentChunk
from twinflow.documents.storage import LocalStorage, UploadLimits, storage_from_config
from twinflow.workflow.errors import Conflict, InvalidData

BIG = 8 * 1024 * 1024


@pytest.fixture
def store(session):
    return DatabaseStorage(lambda: session)


def _pdf(size: int) -> bytes:
    return PDF + os.urandom(size - len(PDF))


def _upload(cast, session, engine, store, data, limits=None, **kwargs):
    values = dict(filename="report.pdf", content_type="application/pdf", category="interim_report")
    return documents.upload_document(
        session, engine, store, cast.beneficiary, cast.project.id, stream=io.BytesIO(data),
        limits=limits or UploadLimits(max_bytes=BIG + 1), **(values | kwargs),
    )  # fmt: skip


def _chunks(session) -> int:
    return session.scalar(select(func.count()).select_from(DocumentChunk))


def test_a_document_of_several_chunks_is_stored_in_the_database_and_read_back_intact(
    cast, session, engine, store
):
    data = _pdf(3 * CHUNK_BYTES + 1234)
    doc = _upload(cast, session, engine, store, data)
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert _chunks(session) == 4

    download = documents.open_document(session, engine, store, cast.france, doc.id)
    with download.handle as handle:
        assert handle.read() == data
        handle.seek(CHUNK_BYTES - 2)
        assert handle.read(4) == data[CHUNK_BYTES - 2 : CHUNK_BYTES + 2]
    actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert actions[-2:] == ["document_uploaded", "document_downloaded"]


def test_a_refused_upload_leaves_no_chunk_and_no_document(cast, session, engine, store):
    with pytest.raises(InvalidData) as refused:
        _upload(cast, session, engine, store, _pdf(CHUNK_BYTES * 2), UploadLimits(CHUNK_BYTES))
    assert refused.value.errors == {"file": ["is larger than the limit of 262,144 bytes"]}
    with pytest.raises(InvalidData):
        _upload(cast, session, engine, store, b"MZ" * CHUNK_BYTES)  # not a PDF, seen at the end
    assert _chunks(session) == 0
    assert session.scalar(select(func.count(Document.id))) == 0


def test_a_chunk_changed_or_removed_behind_the_apps_back_is_refused_and_audited(
    cast, session, engine, store
):
    doc = _upload(cast, session, engine, store, _pdf(2 * CHUNK_BYTES))
    session.execute(
        update(DocumentChunk)
        .where(DocumentChunk.storage_key == doc.storage_key, DocumentChunk.seq == 1)
        .values(data=b"x" * CHUNK_BYTES)
    )
    session.commit()
    with pytest.raises(Conflict, match="may have been tampered with"):
        documents.open_document(session, engine, store, cast.coordinator, doc.id)
    store.delete(doc.storage_key)
    session.commit()
    with pytest.raises(Conflict, match="the file is missing"):
        documents.open_document(session, engine, store, cast.coordinator, doc.id)
    failed = select(func.count()).where(AuditEvent.action == "document_integrity_failed")
    assert session.scalar(failed) == 2


def test_reading_a_large_document_holds_about_one_chunk_in_memory(cast, session, engine, store):
    data = _pdf(BIG)
    doc = _upload(cast, session, engine, store, data)
    digest = hashlib.sha256()
    tracemalloc.start()
    try:
        with store.open(doc.storage_key) as handle:
            while piece := handle.read(64 * 1024):
                digest.update(piece)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest.hexdigest() == doc.sha256
    assert BIG == 32 * CHUNK_BYTES and peak < 4 * CHUNK_BYTES


def test_the_store_is_chosen_by_its_setting_and_a_wrong_name_is_refused(tmp_path, session):
    assert isinstance(storage_from_config({}, tmp_path), LocalStorage)
    chosen = storage_from_config({"DOCUMENT_STORE": "database"}, tmp_path, lambda: session)
    assert isinstance(chosen, DatabaseStorage)
    with pytest.raises(ValueError, match="TWINFLOW_DOCUMENT_STORE='s3' is not one of: local"):
        storage_from_config({"DOCUMENT_STORE": "s3"}, tmp_path)
