"""Backup and restore as an operator runs them: `twinflow backup`, then `twinflow restore`
into an empty database and folder, then `twinflow audit verify` and a download; a damaged
archive or a database in use is refused before anything changes."""

import hashlib
import io
import tarfile

import pytest

from tests.api.conftest import ApiClient
from twinflow import create_app

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
OTHER = {"local": "database", "database": "local"}


def _app(url, uploads, store):
    return create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        UPLOAD_DIR=str(uploads),
        DOCUMENT_STORE=store,
        API_TOKEN_HOURS=24 * 365 * 5,
    )


def _dispose(app):
    from twinflow.extensions import db

    with app.app_context():
        db.engine.dispose()


def _upload(api, cast, data=PDF, name="report.pdf"):
    body = {"category": "interim_report", "file": (io.BytesIO(data), name, "application/pdf")}
    answer = api.as_(cast.beneficiary).post(
        f"/projects/{cast.project.id}/documents", data=body, content_type="multipart/form-data"
    )
    assert answer.status_code == 201, answer.json
    return answer.json


@pytest.fixture
def source(app, cast, request):
    """The app with a project in implementation and two documents, in the store asked for."""
    app.config["DOCUMENT_STORE"] = getattr(request, "param", "local")
    app.config["API_TOKEN_HOURS"] = 24 * 365 * 5
    cast.to("implementation")
    api = ApiClient(app.test_client())
    # Two chunks in the database store; under 500 KB, past which the test client leaks a file.
    big = PDF + bytes(range(256)) * 1200
    documents = [_upload(api, cast), _upload(api, cast, big, "annex.pdf")]
    return app, documents, {d["id"]: data for d, data in zip(documents, (PDF, big), strict=True)}


@pytest.mark.parametrize("source", ["local", "database"], indirect=True)
def test_a_backup_restored_into_an_empty_database_verifies_and_serves_its_documents(
    source, cast, tmp_path, empty_db_url
):
    app, documents, contents = source
    archive = tmp_path / "backup.tar"
    made = app.test_cli_runner().invoke(args=["backup", "--output", str(archive)])
    assert made.exit_code == 0, made.output
    assert "2 document(s), checksums in manifest.json" in made.output
    assert archive.stat().st_mode & 0o077 == 0  # password hashes inside: the owner's alone

    # Restored into the other store: a backup also moves documents between stores.
    target = _app(empty_db_url, tmp_path / "restored-uploads", OTHER[app.config["DOCUMENT_STORE"]])
    try:
        runner = target.test_cli_runner()
        restored = runner.invoke(args=["restore", str(archive)])
        assert restored.exit_code == 0, restored.output
        assert "2 document(s) verified" in restored.output
        verified = runner.invoke(args=["audit", "verify"])
        assert verified.exit_code == 0 and verified.output.startswith("ok: ")
        api = ApiClient(target.test_client())
        for document in documents:
            url = document["download_url"].removeprefix("/api/v1")
            with api.as_(cast.coordinator).get(url) as download:
                assert download.status_code == 200
                assert download.data == contents[document["id"]]
        assert target.test_client().get("/readyz").status_code == 200
    finally:
        _dispose(target)


def test_restore_refuses_a_database_in_use_and_changes_nothing(source, tmp_path, db_url):
    app, documents, _ = source
    archive = tmp_path / "backup.tar"
    assert app.test_cli_runner().invoke(args=["backup", "--output", str(archive)]).exit_code == 0
    refused = app.test_cli_runner().invoke(args=["restore", str(archive)])
    assert refused.exit_code == 1
    assert "the database is not empty" in refused.output
    assert "restore only fills an empty one" in refused.output
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0


def test_a_damaged_archive_is_refused_before_anything_is_restored(source, tmp_path, empty_db_url):
    app, documents, _ = source
    archive = tmp_path / "backup.tar"
    assert app.test_cli_runner().invoke(args=["backup", "--output", str(archive)]).exit_code == 0
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as original, tarfile.open(damaged, "w") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()
            if member.name.startswith("documents/"):
                data = data.replace(b"Catalog", b"Catalox")
            copy.addfile(member, io.BytesIO(data))
    target = _app(empty_db_url, tmp_path / "restored-uploads", "local")
    try:
        refused = target.test_cli_runner().invoke(args=["restore", str(damaged)])
        assert refused.exit_code == 1
        assert "missing or its SHA-256 differs" in refused.output
        from sqlalchemy import inspect

        from twinflow.extensions import db

        with target.app_context():
            assert inspect(db.engine).get_table_names() == []
        assert not (tmp_path / "restored-uploads").exists()
    finally:
        _dispose(target)


def test_documents_migrate_to_the_database_copies_each_file_verified_and_once(
    source, cast, tmp_path, db_url
):
    app, documents, contents = source
    runner = app.test_cli_runner()
    moved = runner.invoke(args=["documents", "migrate", "--to", "database"])
    assert moved.exit_code == 0, moved.output
    assert moved.output.startswith("2 document(s) copied to the database store and verified")
    again = runner.invoke(args=["documents", "migrate", "--to", "database"])
    assert (
        again.output.startswith("0 document(s) copied") and "2 already there intact" in again.output
    )

    # Another machine: its own, empty upload folder, the database store.
    other = _app(db_url, tmp_path / "machine-2-uploads", "database")
    try:
        api = ApiClient(other.test_client())
        for document in documents:
            with api.as_(cast.coordinator).get(
                document["download_url"].removeprefix("/api/v1")
            ) as got:
                assert got.status_code == 200
                assert hashlib.sha256(got.data).hexdigest() == document["sha256"]
                assert got.data == contents[document["id"]]
    finally:
        _dispose(other)


def test_documents_migrate_refuses_a_file_that_no_longer_matches_its_checksum(source, tmp_path):
    app, documents, _ = source
    uploads = tmp_path / "uploads"
    (tampered,) = [p for p in uploads.rglob("*") if p.is_file() and p.stat().st_size == len(PDF)]
    tampered.write_bytes(PDF.replace(b"Catalog", b"Catalox"))
    moved = app.test_cli_runner().invoke(args=["documents", "migrate", "--to", "database"])
    assert moved.exit_code == 1
    assert "1 document(s) copied" in moved.output and "1 failed" in moved.output
    assert f"document {documents[0]['id']}: does not match its SHA-256" in moved.output


def test_a_backup_into_a_folder_that_does_not_exist_is_refused_with_the_folder_named(
    source, tmp_path
):
    app, _, _ = source
    missing = tmp_path / "no-such-folder"
    refused = app.test_cli_runner().invoke(args=["backup", "--output", str(missing / "backup.tar")])
    assert refused.exit_code == 1
    assert f"--output: the folder {missing} does not exist" in refused.output
    assert "Traceback" not in refused.output and not missing.exists()
