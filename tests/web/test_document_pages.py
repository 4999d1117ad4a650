"""The documents page: an upload form with its CSRF token, download links, and refusals
(size, type, who may see) explained on the page with nothing stored."""

import html
import io
import re
from datetime import timedelta

import pytest

from tests.web.test_records import flashes, form_fields

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
LIMIT = 64 * 1024


@pytest.fixture
def running(app, cast):
    app.config["MAX_UPLOAD_BYTES"] = LIMIT
    cast.to("implementation")
    return cast


def _upload(b, project, data=PDF, name="minutes.pdf", kind="application/pdf", **extra):
    base = f"/projects/{project.id}"
    fields = form_fields(b.text(f"{base}/documents"), f"{base}/documents")
    fields |= {"category": "steering_minutes", "file": (io.BytesIO(data), name, kind)} | extra
    response = b.client.post(f"{base}/documents", data=fields, content_type="multipart/form-data")
    assert response.status_code == 303, response.status_code
    return b.text(response.location)


def _stored(app):
    root = app.extensions["twinflow.storage"].root
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_leader_uploads_a_document_and_another_party_downloads_it(running, as_user, app):
    project = running.project
    page = _upload(as_user(running.beneficiary), project)
    assert "Uploaded minutes.pdf." in flashes(page)
    coordinator = as_user(running.coordinator)
    listing = coordinator.text(f"/projects/{project.id}/documents")
    link = re.search(r'href="(/projects/\d+/documents/\d+/download)"[^>]*>minutes.pdf<', listing)
    with coordinator.get(link.group(1)) as download:
        assert download.status_code == 200 and download.data == PDF
        assert download.headers["Content-Disposition"] == "attachment; filename=minutes.pdf"


def test_an_upload_over_the_size_limit_is_refused_with_the_limit_and_nothing_is_kept(
    running, as_user, app
):
    b = as_user(running.beneficiary)
    just_over = _upload(b, running.project, data=PDF + b"0" * LIMIT)
    assert "Not uploaded: minutes.pdf: is larger than the limit of 65,536 bytes" in flashes(
        just_over
    )
    far_over = _upload(b, running.project, data=PDF + b"0" * (5 * LIMIT))
    assert "The upload is larger than the limit of 65,536 bytes; nothing was stored." in flashes(
        far_over
    )
    assert "No document you may see." in far_over
    assert _stored(app) == []


def test_a_forbidden_type_is_refused_naming_what_is_accepted(running, as_user, app):
    page = _upload(
        as_user(running.beneficiary), running.project, b"MZ\x90\x00", "tool.exe", "application/x"
    )
    (message,) = [m for m in flashes(page) if ".exe" in m]
    assert message.startswith(
        "Not uploaded: tool.exe: .exe files are not accepted; allowed: csv, doc, docx"
    )
    assert _stored(app) == []


def test_a_report_file_is_attached_from_the_reports_page_and_listed_under_it(
    running, as_user, make
):
    from twinflow.reports.operations import create_report

    project = running.project
    report = create_report(
        make.session, make.engine, running.beneficiary, project.id, {"kind": "interim", "number": 1}
    )
    b, base = as_user(running.france), f"/projects/{project.id}"
    response = _attach_to_report(b, project, report, PDF, "q1.pdf")
    assert response.status_code == 303 and response.location.endswith(f"#report-{report.id}")
    page = b.text(f"{base}/reports")
    article = re.search(rf'data-testid="report-{report.id}">(.*?)</article>', page, re.S).group(1)
    assert ">q1.pdf</a>" in article


def test_a_download_by_someone_who_may_not_see_the_project_or_the_document_is_refused(
    running, as_user
):
    project = running.project
    _upload(as_user(running.beneficiary), project)
    link = re.search(
        r'href="(/projects/\d+/documents/\d+/download)"',
        as_user(running.coordinator).text(f"/projects/{project.id}/documents"),
    ).group(1)
    outsider = as_user(running.other_beneficiary).get(link)
    assert outsider.status_code == 404  # as if the project did not exist
    assert f"There is no project {project.id}." in outsider.get_data(as_text=True)
    # Germany sees the public project, but steering minutes are for the project's parties.
    germany = as_user(running.germany)
    refused = germany.get(link)
    assert refused.status_code == 403
    assert "This document is not shared with you." in refused.get_data(as_text=True)
    assert "No document you may see." in germany.text(f"/projects/{project.id}/documents")


def test_an_unknown_category_or_a_report_that_is_no_number_is_said_and_nothing_is_kept(
    running, as_user, app
):
    b = as_user(running.beneficiary)
    page = _upload(b, running.project, category="bogus")
    assert "Not uploaded: Category: Not a valid choice." in flashes(page)
    page = _upload(b, running.project, report_id="seven")
    assert "Not uploaded: Attach to report: is not a report of this project" in flashes(page)
    assert "minutes.pdf" not in b.text(f"/projects/{running.project.id}/documents")


def _attach_to_report(b, project, report, data, name, page=None):
    base = f"/projects/{project.id}"
    page = page or b.text(f"{base}/reports")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return b.client.post(
        f"{base}/documents",
        data={
            "csrf_token": token,
            "category": "interim_report",
            "report_id": str(report.id),
            "next": f"{base}/reports#report-{report.id}",
            "file": (io.BytesIO(data), name, "application/pdf"),
        },
        content_type="multipart/form-data",
    )


def _draft_report(running, make):
    from twinflow.reports.operations import create_report

    return create_report(
        make.session, make.engine, running.beneficiary, running.project.id,
        {"kind": "interim", "number": 1},
    )  # fmt: skip


def test_a_refused_report_file_is_said_beside_the_report_where_the_page_opens(
    running, as_user, make, app
):
    report = _draft_report(running, make)
    b, base = as_user(running.france), f"/projects/{running.project.id}"
    response = _attach_to_report(b, running.project, report, b"<html>not a pdf", "q1.pdf")
    assert response.status_code == 303 and response.location.endswith(f"#report-{report.id}")
    page = b.text(response.location)
    article = re.search(rf'data-testid="report-{report.id}">(.*?)</article>', page, re.S).group(1)
    said = re.search(rf'data-testid="upload-refused-{report.id}">(.*?)</div>', article, re.S)
    assert said and 'role="alert"' in article
    assert "Not uploaded: q1.pdf: its content is not a PDF file" in html.unescape(said.group(1))
    assert f'aria-describedby="file-{report.id}-err"' in article
    assert not any("Not uploaded" in m for m in flashes(page))  # not out of sight at the top
    assert ">q1.pdf</a>" not in article and _stored(app) == []
    # Said once: the next visit shows the report without it.
    assert "Not uploaded" not in b.text(f"{base}/reports")


def test_a_file_for_a_report_already_submitted_is_refused_beside_it_with_the_reason(
    running, as_user, make
):
    from twinflow.reports.operations import submit_report
    from twinflow.workflow.durations import add_months

    report = _draft_report(running, make)
    make.clock.set(add_months(running.project.implementation_start, 3) + timedelta(days=1))
    b = as_user(running.france)
    page = b.text(f"/projects/{running.project.id}/reports")  # the form, while still a draft
    submit_report(make.session, make.engine, running.beneficiary, report.id)
    submit_report(make.session, make.engine, running.france, report.id)
    response = _attach_to_report(b, running.project, report, PDF, "q1.pdf", page=page)
    page = html.unescape(b.text(response.location))
    article = re.search(rf'data-testid="report-{report.id}">(.*?)</article>', page, re.S).group(1)
    assert (
        "Not uploaded: Attach to report: Interim report 1 is submitted; files are attached "
        "while it is draft or returned for revision"
    ) in article


def test_an_upload_is_announced_under_the_name_it_is_stored_as(running, as_user):
    page = _upload(as_user(running.beneficiary), running.project, name="Compte rendu été.pdf")
    assert "Uploaded Compte_rendu_ete.pdf." in flashes(page)
    assert ">Compte_rendu_ete.pdf</a>" in page
