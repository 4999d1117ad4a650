"""The documents page: files of the project as this user may see them, uploads (CSRF, size
and type checked by the storage) and downloads checked against their SHA-256."""

from collections import defaultdict
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, send_file, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from twinflow.auth.models import User
from twinflow.auth.permissions import name_for
from twinflow.documents import operations as documents
from twinflow.documents.forms import CATEGORY_LABELS, UploadForm
from twinflow.documents.models import Document
from twinflow.documents.permissions import can_upload_document
from twinflow.documents.storage import clean_filename
from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.i18n import lazy_gettext
from twinflow.projects.views import visible_project
from twinflow.records.views import PROJECT, owned, page
from twinflow.reports.models import Report
from twinflow.services import get_engine, get_storage, get_upload_limits
from twinflow.uploads import size_text
from twinflow.web.helpers import choices, safe_next
from twinflow.workflow.errors import InvalidData, NotFound, WorkflowError

blueprint = Blueprint("web_documents", __name__, template_folder="templates")


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
    form.report_id.choices = choices([("", _("— none —"))] + list(report_names.items()))
    uploader_ids = {d.uploaded_by_id for d in found}
    uploaders = {
        u.id: name_for(current_user, u)
        for u in db.session.scalars(select(User).where(User.id.in_(uploader_ids)))
    }
    return page(
        "documents/documents.html",
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


# What the upload's fields are called on the page, for the refusals keyed by field.
UPLOAD_LABELS = {
    "file": lazy_gettext("File"),
    "filename": lazy_gettext("File name"),
    "content_type": lazy_gettext("File type"),
    "category": lazy_gettext("Category"),
    "report_id": lazy_gettext("Attach to report"),
    "change_id": lazy_gettext("Attach to change"),
    "meeting_id": lazy_gettext("Attach to meeting"),
    "links": lazy_gettext("Attach to"),
}
# A refusal of an upload started beside a report: said there, on the reports page.
REFUSED_SESSION_KEY = "upload_refused"


def upload_refusals() -> dict[int, list[str]]:
    """{report id: [messages]} of the upload just refused beside that report (read once)."""
    found = session.pop(REFUSED_SESSION_KEY, None)
    if not isinstance(found, dict) or not isinstance(found.get("report_id"), int):
        return {}
    return {found["report_id"]: [str(m) for m in found.get("messages", [])]}


def _stored_name(filename: str | None) -> str | None:
    try:
        return clean_filename(filename)
    except InvalidData:
        return None


def _refusal_messages(details: dict, filename: str | None) -> list[str]:
    name = _stored_name(filename)
    out = []
    for key, reasons in details.items():
        reasons = reasons if isinstance(reasons, list) else [str(reasons)]
        about_file = key in ("file", "content_type") and name
        label = name if about_file else UPLOAD_LABELS.get(key, key.replace("_", " ").capitalize())
        out += [_("Not uploaded: %(field)s: %(reason)s", field=label, reason=r) for r in reasons]
    return out


@blueprint.post(f"{PROJECT}/documents")
@login_required
def upload(project_id: int):
    visible_project(project_id)
    form = UploadForm()
    form.report_id.choices = []
    back = safe_next(form.next.data, url_for("web_documents.documents_page", project_id=project_id))
    report_id = (form.report_id.data or "").strip()
    file = form.file.data
    filename = getattr(file, "filename", None)
    messages: list[str] = []
    if not form.validate_on_submit() or (report_id and not report_id.isdigit()):
        # The file cannot be shown again in a form, so each problem is said in words.
        for name, errors in form.errors.items():
            if name == "csrf_token":
                messages.append(_("Not uploaded: the form expired; send it again."))
                continue
            label = getattr(form, name).label.text if hasattr(form, name) else name
            messages += [
                _("Not uploaded: %(field)s: %(reason)s", field=label, reason=m) for m in errors
            ]
        if report_id and not report_id.isdigit():
            messages.append(
                _(
                    "Not uploaded: %(field)s: %(reason)s",
                    field=_("Attach to report"),
                    reason=_("is not a report of this project"),
                )
            )
    else:
        links = {"report_id": int(report_id)} if report_id else {}
        try:
            document = documents.upload_document(
                db.session,
                get_engine(),
                get_storage(),
                current_user,
                project_id,
                stream=file.stream,
                filename=filename,
                content_type=file.content_type,
                category=form.category.data,
                limits=get_upload_limits(),
                links=links,
            )
        except NotFound:
            raise
        except InvalidData as exc:
            messages = _refusal_messages(exc.details, filename)
        except WorkflowError as exc:
            messages = [_("Not uploaded: %(reason)s", reason=exc.message)]
        else:
            # The name as stored (made safe), which is the one listed and downloaded.
            flash(_("Uploaded %(filename)s.", filename=document.filename), "success")
    if messages:
        reports_page = url_for("web_reports.reports_page", project_id=project_id)
        if report_id.isdigit() and urlsplit(back).path == reports_page:
            # The reports page opens at the report (#report-N): a message at the top of the
            # page would be out of sight, so it is said beside the report's upload form.
            session[REFUSED_SESSION_KEY] = {"report_id": int(report_id), "messages": messages}
        else:
            for message in messages:
                flash(message, "error")
    # Refused or not, the user goes back where the form was (a file cannot be shown again in
    # a form anyway).
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
