"""The documents page: files of the project as this user may see them, uploads (CSRF, size
and type checked by the storage) and downloads checked against their SHA-256."""

from collections import defaultdict

from flask import flash, redirect, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from twinflow.auth.models import User
from twinflow.extensions import db
from twinflow.implementation import documents
from twinflow.implementation.forms import CATEGORY_LABELS, UploadForm
from twinflow.implementation.models import Document, Report
from twinflow.implementation.permissions import can_upload_document
from twinflow.implementation.views import PROJECT, attempt, blueprint, owned, page
from twinflow.projects.views import visible_project
from twinflow.services import get_engine, get_storage, get_upload_limits
from twinflow.uploads import size_text
from twinflow.web.helpers import choices, safe_next


def documents_by_record(project, link: str) -> dict[int, list[Document]]:
    """{record id: [documents this user may see]} for link report_id, change_id or meeting_id."""
    found = documents.list_documents(db.session, get_engine(), current_user, project.id)
    out: dict[int, list[Document]] = defaultdict(list)
    for document in found:
        if getattr(document, link):
            out[getattr(document, link)].append(document)
    return out


def _documents(project, status=200):
    engine = get_engine()
    found = documents.list_documents(db.session, engine, current_user, project.id)
    parties = engine.parties(db.session, current_user, project)
    report_names = {}
    if any(p in parties for p in ("beneficiary", "lead_member_state", "coordinator")):
        report_names = {
            r.id: r.label
            for r in db.session.scalars(
                select(Report).where(Report.project_id == project.id).order_by(Report.id)
            )
        }
    form = UploadForm(formdata=None)
    form.report_id.choices = choices([("", "— none —")] + list(report_names.items()))
    uploader_ids = {d.uploaded_by_id for d in found}
    uploaders = {
        u.id: u.display_name
        for u in db.session.scalars(select(User).where(User.id.in_(uploader_ids)))
    }
    return page(
        "documents.html",
        project,
        "documents",
        status,
        documents=found,
        report_names=report_names,
        uploaders=uploaders,
        categories=CATEGORY_LABELS,
        may_upload=any(can_upload_document(project, parties, c) for c in CATEGORY_LABELS),
        limit=size_text(get_upload_limits().max_bytes),
        form=form,
    )


@blueprint.get(f"{PROJECT}/documents")
@login_required
def documents_page(project_id: int):
    return _documents(visible_project(project_id))


@blueprint.post(f"{PROJECT}/documents")
@login_required
def upload(project_id: int):
    visible_project(project_id)
    form = UploadForm()
    form.report_id.choices = []
    back = safe_next(form.next.data, url_for("web_records.documents_page", project_id=project_id))
    report_id = (form.report_id.data or "").strip()
    if not form.validate_on_submit() or (report_id and not report_id.isdigit()):
        # The file cannot be shown again in a form, so each problem is said at the top.
        for name, messages in form.errors.items():
            if name == "csrf_token":
                flash("Not uploaded: the form expired; send it again.", "error")
                continue
            label = getattr(form, name).label.text if hasattr(form, name) else name
            for message in messages:
                flash(f"Not uploaded: {label}: {message}", "error")
        if report_id and not report_id.isdigit():
            flash("Not uploaded: Attach to report: is not a report of this project", "error")
        return redirect(back, 303)
    file = form.file.data
    links = {"report_id": int(report_id)} if report_id else {}
    attempt(
        lambda: documents.upload_document(
            db.session,
            get_engine(),
            get_storage(),
            current_user,
            project_id,
            stream=file.stream,
            filename=file.filename,
            content_type=file.content_type,
            category=form.category.data,
            limits=get_upload_limits(),
            links=links,
        ),
        success=f"Uploaded {file.filename}.",
    )
    # Refused or not, the user goes back where the form was (a file cannot be shown again in
    # a form anyway); the message at the top says what happened.
    return redirect(back, 303)


@blueprint.get(f"{PROJECT}/documents/<int:document_id>/download")
@login_required
def download(project_id: int, document_id: int):
    visible_project(project_id)
    owned(Document, document_id, project_id, "document")
    found = documents.open_document(
        db.session, get_engine(), get_storage(), current_user, document_id
    )
    response = send_file(
        found.handle,
        mimetype=found.document.content_type,
        as_attachment=True,
        download_name=found.document.filename,
        etag=False,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
