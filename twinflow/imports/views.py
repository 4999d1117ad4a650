"""/admin/imports: an administrator uploads a file, reads the dry-run report, then applies the
very file judged (its SHA-256 shown and checked). The same report as the CLI and the API."""

import hashlib

from flask import Blueprint, abort, render_template
from flask_login import current_user

from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.imports.forms import ImportApplyForm, ImportUploadForm, carry, uncarry
from twinflow.imports.operations import can_import, run_import_and_commit
from twinflow.imports.reader import COLUMNS, REQUIRED_COLUMNS
from twinflow.imports.report import STATUSES
from twinflow.services import get_engine
from twinflow.web.helpers import permission_required

blueprint = Blueprint(
    "web_imports", __name__, template_folder="templates", url_prefix="/admin/imports"
)


def _page(upload=None, report=None, apply=None, status=200, problem=None):
    return render_template(
        "imports/import.html",
        form=upload or ImportUploadForm(),
        report=report,
        apply=apply,
        problem=problem,
        statuses=STATUSES,
        columns=COLUMNS,
        required=REQUIRED_COLUMNS,
    ), status


@blueprint.get("")
@permission_required(can_import)
def page():
    return _page()


@blueprint.post("")
@permission_required(can_import)
def dry_run():
    form = ImportUploadForm()
    if not form.validate_on_submit():
        return _page(upload=form, status=422)
    upload = form.file.data
    data = upload.read()
    filename = upload.filename or "upload"
    report = _run(data, filename, dry_run=True, skip_invalid=form.skip_invalid.data)
    apply, problem = None, None
    if report.ok:
        carried = carry(data)
        if carried is None:
            problem = _("This file is too large to apply from this page: use the CLI or the API.")
        else:
            apply = ImportApplyForm(
                formdata=None,
                payload=carried,
                sha256=report.sha256,
                filename=filename,
                skip_invalid="y" if report.skip_invalid else "",
            )
    return _page(upload=form, report=report, apply=apply, problem=problem)


@blueprint.post("/apply")
@permission_required(can_import)
def apply():
    form = ImportApplyForm()
    if not form.validate_on_submit():
        abort(
            400, _("The form expired or was altered; nothing was imported. Upload the file again.")
        )
    data = uncarry(form.payload.data)
    if data is None or hashlib.sha256(data).hexdigest() != form.sha256.data:
        abort(400, _("The file is not the one judged; nothing was imported. Upload it again."))
    report = _run(
        data, form.filename.data, dry_run=False, skip_invalid=bool(form.skip_invalid.data)
    )
    return _page(report=report, status=200 if report.applied else 422)


def _run(data: bytes, filename: str, *, dry_run: bool, skip_invalid: bool):
    return run_import_and_commit(
        db.session,
        get_engine(),
        current_user,
        data,
        filename=filename,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        via="web",
    )
