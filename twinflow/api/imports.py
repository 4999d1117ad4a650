"""POST /imports: projects at any stage from a CSV or XLSX file (administrators)."""

from functools import wraps

from flask_smorest import abort

from twinflow.api.documents import MultipartBlueprint
from twinflow.api.import_schemas import ImportArgsSchema, ImportReportSchema
from twinflow.api.record_schemas import FileUpload
from twinflow.api.security import authenticated, current_user
from twinflow.extensions import db
from twinflow.imports.operations import ImportRefused, can_import, run_import_and_commit
from twinflow.services import get_engine

blp = MultipartBlueprint("imports", __name__, url_prefix="/api/v1/imports", description="Imports")


class ImportUploadSchema(ImportArgsSchema.__base__):
    file = FileUpload(required=True, metadata={"description": "the CSV or XLSX file"})


def administrators_only(view):
    """Refused before the file is read: nobody else learns what the import would say."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not can_import(current_user()):
            abort(403, message="Only administrators import projects.")
        return view(*args, **kwargs)

    return wrapper


@blp.route("", methods=["POST"])
@authenticated
@administrators_only
@blp.arguments(ImportArgsSchema, location="query")
@blp.arguments(ImportUploadSchema, location="multipart")
@blp.response(200, ImportReportSchema, description="The report: a dry run, or applied")
@blp.alt_response(403, response="FORBIDDEN", description="Administrators only")
@blp.alt_response(
    422,
    response="UNPROCESSABLE_ENTITY",
    description="The file or a row is refused: nothing was written; details is the report",
)
def import_projects(args, upload):
    """Import projects with the pinned columns (docs/import.md): multipart/form-data with the
    file. Each row is judged on its own; the report names row, column, value and reason for
    every error and warning. `dry_run=true` writes nothing. Without `skip_invalid` the run is
    all or nothing (422 with the report when a row is refused). A row already imported (same
    reference, or same country, title and start) is left as it is."""
    user = current_user()
    file = upload["file"]
    report = run_import_and_commit(
        db.session,
        get_engine(),
        user,
        file.stream.read(),
        filename=file.filename or "upload",
        fmt=args.get("format"),
        dry_run=args["dry_run"],
        skip_invalid=args["skip_invalid"],
    )
    if not report.dry_run and not report.applied:
        raise ImportRefused(report.as_dict(), message=f"Nothing was imported: {report.summary()}")
    return report.as_dict()
