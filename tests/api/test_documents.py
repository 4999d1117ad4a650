"""Documents over HTTP: multipart upload, download checked against its SHA-256, refusals with
the reason (size, type, who may see), and every upload and download in the audit trail."""

import base64
import hashlib
import io

import pytest

from tests.api.conftest import error_of

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
LIMIT = 64 * 1024


@pytest.fixture
def running(app, cast):
    app.config["MAX_UPLOAD_BYTES"] = LIMIT
    cast.to("implementation")
    return cast


def _upload(client, pid, data=PDF, name="report.pdf", kind="application/pdf", **form):
    body = {"category": "interim_report", **form, "file": (io.BytesIO(data), name, kind)}
    return client.post(f"/projects/{pid}/documents", data=body, content_type="multipart/form-data")


def _stored(app):
    root = app.extensions["twinflow.storage"].root if "twinflow.storage" in app.extensions else None
    return [p for p in root.rglob("*") if p.is_file()] if root and root.exists() else []


def test_an_uploaded_document_is_listed_and_downloaded_intact_with_its_digest(api, running):
    pid = running.project.id
    uploaded = _upload(api.as_(running.beneficiary), pid, name="Rapport été 1.pdf")
    assert uploaded.status_code == 201, uploaded.json
    document = uploaded.json
    assert document["filename"] == "Rapport_ete_1.pdf"
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert document["size_bytes"] == len(PDF)

    france = api.as_(running.france)
    assert [d["id"] for d in france.get(f"/projects/{pid}/documents").json] == [document["id"]]
    with france.get(document["download_url"].removeprefix("/api/v1")) as download:
        assert download.status_code == 200
        assert download.data == PDF and download.mimetype == "application/pdf"
        disposition = download.headers["Content-Disposition"]
    assert disposition == "attachment; filename=Rapport_ete_1.pdf"
    digest = base64.b64encode(hashlib.sha256(PDF).digest()).decode()
    assert download.headers["Repr-Digest"] == f"sha-256=:{digest}:"

    trail = api.as_(running.admin).get(f"/projects/{pid}/audit?per_page=100").json
    actions = [(e["action"], e["actor_email"]) for e in trail[-2:]]
    assert actions == [
        ("document_uploaded", running.beneficiary.email),
        ("document_downloaded", running.france.email),
    ]


def test_a_file_over_the_size_limit_is_refused_with_the_limit_and_nothing_is_kept(
    api, running, app
):
    client, pid = api.as_(running.beneficiary), running.project.id
    just_over = _upload(client, pid, data=PDF + b"0" * LIMIT)
    assert just_over.status_code == 422
    assert error_of(just_over)["details"] == {"file": ["is larger than the limit of 65,536 bytes"]}

    far_over = _upload(client, pid, data=PDF + b"0" * (4 * LIMIT))
    assert far_over.status_code == 413
    error = error_of(far_over)
    assert error["message"] == (
        "The upload is larger than the limit of 65,536 bytes; nothing was stored."
    )
    assert error["details"] == {"file": ["is larger than the limit of 65,536 bytes"]}
    assert client.get(f"/projects/{pid}/documents").json == []
    assert _stored(app) == []


@pytest.mark.parametrize(
    ("name", "kind", "data", "field", "reason"),
    [
        ("tool.exe", "application/octet-stream", b"MZ\x90\x00", "file", ".exe files are not"),
        ("report.pdf", "text/html", PDF, "content_type", "text/html does not match a .pdf"),
        ("report.pdf", "application/pdf", b"<html>not a pdf", "file", "its content is not"),
    ],
)
def test_a_forbidden_or_disguised_type_is_refused_naming_the_field(
    api, running, app, name, kind, data, field, reason
):
    answer = _upload(api.as_(running.beneficiary), running.project.id, data, name, kind)
    assert answer.status_code == 422
    (message,) = error_of(answer)["details"][field]
    assert message.startswith(reason)
    assert _stored(app) == []


def test_a_text_part_instead_of_a_file_and_unknown_fields_are_refused(api, running):
    client, pid = api.as_(running.beneficiary), running.project.id
    answer = client.post(
        f"/projects/{pid}/documents",
        data={"file": "not a file", "category": "minutes", "colour": "red"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422
    details = error_of(answer)["details"]
    assert details["file"] == ["must be a file (a multipart part with a filename)"]
    assert details["colour"] == ["Unknown field."]
    assert "category" in details


def test_a_download_by_someone_who_may_not_see_the_project_or_the_document_is_refused(
    api, running, make
):
    pid = running.project.id
    document = _upload(api.as_(running.beneficiary), pid).json
    path = f"/projects/{pid}/documents/{document['id']}"
    hidden = api.as_(running.other_beneficiary).get(path)
    assert hidden.status_code == 404
    assert error_of(hidden)["message"] == f"No document {document['id']}."
    # Germany sees the (public) project but was not selected: reports are not shared with it.
    germany = api.as_(running.germany)
    refused = germany.get(path)
    assert refused.status_code == 403
    assert error_of(refused)["message"] == "This document is not shared with you."
    assert germany.get(f"/projects/{pid}/documents").json == []
    other = make.project(running.beneficiary, title="Another project")
    elsewhere = api.as_(running.beneficiary).get(f"/projects/{other.id}/documents/{document['id']}")
    assert elsewhere.status_code == 404


def test_a_document_attached_to_a_report_names_it_and_a_foreign_record_is_refused(api, running):
    client, pid = api.as_(running.beneficiary), running.project.id
    report = client.post(f"/projects/{pid}/reports", json={"kind": "interim", "number": 1}).json
    attached = _upload(client, pid, report_id=str(report["id"]))
    assert attached.status_code == 201 and attached.json["report_id"] == report["id"]
    refused = _upload(client, pid, change_id="999")
    assert error_of(refused)["details"] == {"change_id": ["is not a record of this project"]}


def test_the_lead_partner_may_upload_its_work_but_not_the_selection_minutes(api, running):
    """The record of choosing the partner is written by those who chose it."""
    pid = running.project.id
    france = api.as_(running.france)  # the lead partner
    assert _upload(france, pid, category="work_plan").status_code == 201
    refused = _upload(france, pid, category="selection_minutes", name="minutes.pdf")
    assert refused.status_code == 403, refused.json
    assert [d["category"] for d in france.get(f"/projects/{pid}/documents").json] == ["work_plan"]
    minutes = _upload(api.as_(running.coordinator), pid, category="selection_minutes")
    assert minutes.status_code == 201
