"""Documents of a project: list (as the caller may see them), upload (multipart), download.
Every upload and download is in the audit trail; a file whose SHA-256 changed is refused."""

import base64

from flask import send_file, url_for
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from twinflow.api.blueprint import Blueprint
from twinflow.api.common import ID
from twinflow.api.record_schemas import DocumentSchema, DocumentUploadSchema
from twinflow.api.records import PROJECT, owned
from twinflow.api.security import authenticated, current_user
from twinflow.documents import operations as documents
from twinflow.documents.models import Document
from twinflow.documents.storage import ALLOWED_TYPES
from twinflow.extensions import db
from twinflow.services import get_engine, get_storage, get_upload_limits


class MultipartParser(FlaskParser):
    """Adds the location "multipart": the form fields and the files of one multipart body, so
    that one schema (documented as one requestBody) reads them together."""

    __location_map__ = dict(FlaskParser.__location_map__, multipart="load_multipart")

    def load_multipart(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class MultipartBlueprint(Blueprint):
    ARGUMENTS_PARSER = MultipartParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }


blp = MultipartBlueprint(
    "documents", __name__, url_prefix="/api/v1/projects", description="Project documents"
)
DOCUMENT = f"{PROJECT}/documents/<{ID}:document_id>"
DOWNLOAD_DOC = {
    200: {
        "description": "The file, as uploaded",
        "content": {
            kind: {"schema": {"type": "string", "format": "binary"}}
            for kind in sorted({t.content_type for t in ALLOWED_TYPES.values()})
        },
        "headers": {
            "Repr-Digest": {
                "description": "RFC 9530: sha-256=:<base64>: of the file",
                "schema": {"type": "string"},
            },
            "Content-Disposition": {"schema": {"type": "string"}},
        },
    }
}


def _view(document: Document) -> dict:
    view = {c.key: getattr(document, c.key) for c in Document.__table__.columns}
    view["download_url"] = url_for(
        "documents.download", project_id=document.project_id, document_id=document.id
    )
    return view


@blp.route(f"{PROJECT}/documents", methods=["GET"])
@authenticated
@blp.response(200, DocumentSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_documents(project_id):
    """The documents you may see: the fiche to every viewer of the project, a Member State's
    proposal to it, the beneficiary and coordinators, the rest to the project's parties."""
    found = documents.list_documents(db.session, get_engine(), current_user(), project_id)
    return [_view(d) for d in found]


@blp.route(f"{PROJECT}/documents", methods=["POST"])
@authenticated
@blp.arguments(DocumentUploadSchema, location="multipart")
@blp.response(201, DocumentSchema)
@blp.alt_response(403, response="FORBIDDEN", description="You may not attach this category")
@blp.alt_response(404, response="NOT_FOUND")
def upload(form, project_id):
    """Upload a file (multipart/form-data: file, category, optionally one of report_id,
    change_id, meeting_id). Refused with 422 when its type is not accepted, its content does
    not match its type, or it is over the size limit (413 when the whole body is)."""
    file = form.pop("file")
    category = form.pop("category")
    document = documents.upload_document(
        db.session,
        get_engine(),
        get_storage(),
        current_user(),
        project_id,
        stream=file.stream,
        filename=file.filename,
        content_type=file.content_type,
        category=category,
        limits=get_upload_limits(),
        links=form,
    )
    return _view(document), 201, {"Location": _view(document)["download_url"]}


@blp.route(DOCUMENT, methods=["GET"])
@authenticated
@blp.alt_response(403, response="FORBIDDEN", description="Not shared with you")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(
    409, response="CONFLICT", description="The stored file no longer matches its SHA-256"
)
@blp.doc(responses=DOWNLOAD_DOC)
def download(project_id, document_id):
    """The file, checked against the SHA-256 recorded at upload; the download is audited."""
    owned(Document, document_id, project_id, "document")
    found = documents.open_document(
        db.session, get_engine(), get_storage(), current_user(), document_id
    )
    response = send_file(
        found.handle,
        mimetype=found.document.content_type,
        as_attachment=True,
        download_name=found.document.filename,
        etag=False,
        max_age=0,
    )
    digest = base64.b64encode(bytes.fromhex(found.document.sha256)).decode("ascii")
    response.headers["Repr-Digest"] = f"sha-256=:{digest}:"
    response.headers["Cache-Control"] = "private, no-store"
    return response
