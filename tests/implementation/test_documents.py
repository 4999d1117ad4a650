import io

import pytest
from sqlalchemy import func, select

from tests.implementation.conftest import PDF
from twinflow.audit.models import AuditEvent
from twinflow.documents import operations as documents
from twinflow.documents.models import Document
from twinflow.documents.storage import storage_from_config
from twinflow.workflow.errors import Conflict, InvalidData, NotFound, NotPermitted


def _upload(cast, session, engine, storage, limits, data=PDF, actor=None, **kwargs):
    values = dict(filename="report.pdf", content_type="application/pdf", category="interim_report")
    values |= kwargs
    return documents.upload_document(
        session, engine, storage, actor or cast.beneficiary, cast.project.id,
        stream=io.BytesIO(data), limits=limits, **values,
    )  # fmt: skip


def _stored_files(storage):
    return [p for p in storage.root.rglob("*") if p.is_file()] if storage.root.exists() else []


def test_an_uploaded_document_is_stored_hashed_and_downloaded_intact(
    cast, session, engine, storage, limits
):
    doc = _upload(cast, session, engine, storage, limits, filename="../../etc/Rapport été.pdf")
    assert doc.filename == "etc_Rapport_ete.pdf"
    assert doc.size_bytes == len(PDF) and doc.content_type == "application/pdf"
    (path,) = _stored_files(storage)
    assert path.read_bytes() == PDF and path.name != doc.filename

    download = documents.open_document(session, engine, storage, cast.france, doc.id)
    with download.handle as handle:
        assert handle.read() == PDF
    actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert actions[-2:] == ["document_uploaded", "document_downloaded"]


def test_an_upload_over_the_size_limit_is_refused_and_leaves_nothing(
    cast, session, engine, storage, limits
):
    big = PDF + b"0" * limits.max_bytes
    with pytest.raises(InvalidData) as refused:
        _upload(cast, session, engine, storage, limits, data=big)
    assert refused.value.errors == {"file": ["is larger than the limit of 65,536 bytes"]}
    assert _stored_files(storage) == []
    assert session.scalar(select(func.count(Document.id))) == 0


@pytest.mark.parametrize(
    ("filename", "content_type", "data", "field", "reason"),
    [
        ("tool.exe", "application/octet-stream", b"MZ\x90\x00", "file", ".exe files are not"),
        ("report.pdf", "text/html", PDF, "content_type", "text/html does not match a .pdf"),
        ("report.pdf", "application/pdf", b"MZ\x90\x00 disguised", "file", "its content is not"),
        ("notes.txt", "text/plain", b"\x00\x01binary", "file", "its content is not"),
        ("....", "application/pdf", PDF, "filename", "must be a file name with an extension"),
        ("empty.pdf", "application/pdf", b"", "file", "is empty"),
    ],
)
def test_a_forbidden_or_disguised_file_is_refused(
    cast, session, engine, storage, limits, filename, content_type, data, field, reason
):
    with pytest.raises(InvalidData) as refused:
        _upload(
            cast, session, engine, storage, limits,
            data=data, filename=filename, content_type=content_type,
        )  # fmt: skip
    assert list(refused.value.errors) == [field]
    assert refused.value.errors[field][0].startswith(reason)
    assert _stored_files(storage) == []


@pytest.mark.parametrize(
    ("filename", "content_type", "said"),
    [
        ("report.pdf", "application/pdf", "its content is not a PDF file"),
        ("budget.xlsx", "application/octet-stream", "its content is not an Excel workbook (.xlsx)"),
        ("photo.png", "image/png", "its content is not a PNG image"),
    ],
)
def test_a_file_whose_content_is_not_its_type_is_refused_in_plain_words(
    cast, session, engine, storage, limits, filename, content_type, said
):
    with pytest.raises(InvalidData) as refused:
        _upload(
            cast, session, engine, storage, limits,
            data=b"\x00\x01 not it", filename=filename, content_type=content_type,
        )  # fmt: skip
    assert refused.value.errors == {"file": [said]}


def test_a_user_who_may_not_see_the_project_cannot_download(cast, session, engine, storage, limits):
    doc = _upload(cast, session, engine, storage, limits)
    events = session.scalar(select(func.count(AuditEvent.id)))
    with pytest.raises(NotFound, match=f"No document {doc.id}"):
        documents.open_document(session, engine, storage, cast.other_beneficiary, doc.id)
    with pytest.raises(NotPermitted, match="not shared with you"):
        documents.open_document(session, engine, storage, cast.germany, doc.id)
    assert session.scalar(select(func.count(AuditEvent.id))) == events


def test_a_proposal_document_stays_with_its_member_state(make, session, engine, storage, limits):
    from tests.factories import Cast

    cast = Cast(make)
    cast.to("call_open")
    doc = _upload(cast, session, engine, storage, limits, actor=cast.france, category="proposal")
    # Sealed: to a rival the document does not even exist.
    with pytest.raises(NotFound):
        documents.open_document(session, engine, storage, cast.germany, doc.id)
    assert documents.list_documents(session, engine, cast.germany, cast.project.id) == []
    assert [
        d.id for d in documents.list_documents(session, engine, cast.france, cast.project.id)
    ] == [doc.id]
    with pytest.raises(NotPermitted, match="may not attach a contract"):
        _upload(cast, session, engine, storage, limits, actor=cast.germany, category="contract")


def test_a_tampered_file_is_refused_and_the_attempt_audited(cast, session, engine, storage, limits):
    doc = _upload(cast, session, engine, storage, limits)
    (path,) = _stored_files(storage)
    path.write_bytes(PDF.replace(b"Catalog", b"Catalox"))
    with pytest.raises(Conflict, match="may have been tampered with"):
        documents.open_document(session, engine, storage, cast.coordinator, doc.id)
    path.unlink()
    with pytest.raises(Conflict, match="the file is missing"):
        documents.open_document(session, engine, storage, cast.coordinator, doc.id)
    failed = session.scalars(
        select(AuditEvent.action).where(AuditEvent.action == "document_integrity_failed")
    ).all()
    assert len(failed) == 2


def test_a_document_links_only_to_a_record_of_its_project(cast, session, engine, storage, limits):
    with pytest.raises(InvalidData) as refused:
        _upload(cast, session, engine, storage, limits, category="memo", links={"report_id": 999})
    assert refused.value.errors == {
        "category": [refused.value.errors["category"][0]],
        "report_id": ["is not a record of this project"],
    }
    assert refused.value.errors["category"][0].startswith("must be one of: fiche, proposal")


def test_a_file_cannot_be_slipped_into_a_report_once_it_is_signed(
    cast, session, engine, storage, limits
):
    from tests.implementation.test_reports import _quarter_over
    from twinflow.reports import operations as reports

    report = reports.create_report(
        session, engine, cast.beneficiary, cast.project.id, {"kind": "interim", "number": 1}
    )
    draft_file = _upload(cast, session, engine, storage, limits, links={"report_id": report.id})
    assert draft_file.report_id == report.id
    _quarter_over(cast, 1)
    reports.submit_report(session, engine, cast.beneficiary, report.id)
    reports.submit_report(session, engine, cast.france, report.id)

    with pytest.raises(InvalidData) as refused:
        _upload(cast, session, engine, storage, limits, links={"report_id": report.id})
    assert refused.value.errors == {
        "report_id": [
            "Interim report 1 is submitted; files are attached while it is draft or returned "
            "for revision"
        ]
    }
    count = select(func.count(Document.id)).where(Document.report_id == report.id)
    assert session.scalar(count) == 1


def test_files_live_under_the_instance_folder_unless_configured(tmp_path):
    assert storage_from_config({}, tmp_path).root == tmp_path / "uploads"
    assert (
        storage_from_config({"UPLOAD_DIR": "/srv/files"}, tmp_path).root.as_posix() == "/srv/files"
    )
