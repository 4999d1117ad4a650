"""The fiche over HTTP: GET/PUT /projects/<id>/fiche, its revisions, and PATCH /projects/<id>
for the particulars. ETags follow the project API: a version number in quotes, sent back as
If-Match; a stale one is refused with 409 (stale_version), as a stale transition is."""

from marshmallow import Schema, fields, validate

from twinflow.api.blueprint import Blueprint
from twinflow.api.common import ETAG_HEADER, ID, IF_MATCH_DOC, etag, expected_version
from twinflow.api.fields import NumberDecimal, Text, nonblank
from twinflow.api.schemas import ProjectSchema
from twinflow.api.security import authenticated, current_user
from twinflow.extensions import db
from twinflow.fiche import operations as ops
from twinflow.fiche.permissions import FULL, fiche_access, may_edit_particulars, may_edit_text
from twinflow.projects.models import Project
from twinflow.services import get_engine
from twinflow.workflow.errors import NotFound

blp = Blueprint("fiche", __name__, url_prefix="/api/v1/projects", description="The Twinning Fiche")

FICHE_IF_MATCH = IF_MATCH_DOC | {
    "description": 'The fiche\'s ETag (e.g. "3"): refused with 409 if the fiche changed.'
}
FICHE_ETAG = {"ETag": {"description": "The fiche text's version", "schema": {"type": "string"}}}


class FicheWriteSchema(Schema):
    sections = fields.Dict(
        keys=Text(validate=validate.Length(max=60)),
        required=True,
        metadata={"description": "Every section by key (GET shows them); one not sent is emptied"},
    )


class ParticularsSchema(Schema):
    title = Text(validate=[validate.Length(max=300), nonblank])
    beneficiary_institution = Text(validate=[validate.Length(max=200), nonblank])
    sector = Text(validate=validate.Length(min=1, max=10))
    instrument = Text(validate=validate.Length(min=1, max=10))
    budget_eur = NumberDecimal(allow_nan=False, low=0, high=999_999_999_999)
    implementation_months = fields.Integer(strict=True, validate=validate.Range(min=1, max=600))


class CommentSchema(Schema):
    section = fields.String()
    body = fields.String()
    created_at = fields.DateTime()


class RevisionSummarySchema(Schema):
    number = fields.Integer()
    status = fields.String(metadata={"description": "in_review, returned or approved"})
    submitted_at = fields.DateTime()
    returned_at = fields.DateTime(allow_none=True)


class RevisionSchema(RevisionSummarySchema):
    sections = fields.Dict()
    particulars = fields.Dict()
    comments = fields.List(fields.Nested(CommentSchema))


class FicheSchema(Schema):
    project_id = fields.Integer()
    state = fields.String()
    revision = fields.Integer(
        allow_none=True, metadata={"description": "The last revision submitted (null: none yet)"}
    )
    version = fields.Integer(metadata={"description": "Also the ETag; send it as If-Match"})
    editable = fields.Boolean()
    particulars_editable = fields.Boolean()
    sections = fields.Dict()
    particulars = fields.Dict()


def _project(user, project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None or fiche_access(user, project) is None:
        raise NotFound(f"No fiche of project {project_id}.")
    return project


def _revision_view(project, revision, revisions, approved, access) -> dict:
    return {
        "number": revision.number,
        "status": ops.status_of(project, revision, revisions, approved),
        "submitted_at": revision.submitted_at,
        "returned_at": revision.returned_at,
        "sections": revision.sections,
        "particulars": revision.particulars,
        # Comments are the beneficiary's and the coordinators' exchange, never circulated.
        "comments": revision.comments if access == FULL else [],
    }


def _fiche_view(user, project) -> tuple[dict, str]:
    access = fiche_access(user, project)
    revisions = ops.revisions_of(db.session, project.id)
    approved = ops.approved_number(project, revisions)
    if access != FULL:
        # A Member State reads what the call circulated, never the draft behind it.
        shown = next((r for r in revisions if r.number == approved), None)
        if shown is None:
            raise NotFound(f"Project {project.id} has no circulated fiche revision.")
        body = {
            "project_id": project.id,
            "state": project.state,
            "revision": shown.number,
            "version": 0,
            "editable": False,
            "particulars_editable": False,
            "sections": shown.sections,
            "particulars": shown.particulars,
        }
        return body, f'"r{shown.number}"'
    parties = get_engine().parties(db.session, user, project)
    sections, version = ops.current_text(db.session, project)
    body = {
        "project_id": project.id,
        "state": project.state,
        "revision": revisions[-1].number if revisions else None,
        "version": version,
        "editable": may_edit_text(user, project, parties),
        "particulars_editable": may_edit_particulars(user, project, parties),
        "sections": sections,
        "particulars": ops.particulars_of(project),
    }
    return body, f'"{version}"'


@blp.route(f"/<{ID}:project_id>/fiche", methods=["GET"])
@authenticated
@blp.response(200, FicheSchema, headers=FICHE_ETAG)
@blp.alt_response(404, response="NOT_FOUND")
def get_fiche(project_id):
    """The fiche's current text with the particulars, and the last revision's number.

    A Member State gets the revision the call circulated (the approved one), never a draft."""
    user = current_user()
    body, tag = _fiche_view(user, _project(user, project_id))
    return body, 200, {"ETag": tag}


@blp.route(f"/<{ID}:project_id>/fiche", methods=["PUT"])
@authenticated
@blp.arguments(FicheWriteSchema)
@blp.response(200, FicheSchema, headers=FICHE_ETAG)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Not in drafting, or If-Match stale")
@blp.doc(parameters=[FICHE_IF_MATCH])
def put_fiche(args, project_id):
    """Replace the fiche's text while it is being drafted (422 names each bad field)."""
    user = current_user()
    _project(user, project_id)
    version = expected_version()
    ops.save_text(db.session, get_engine(), user, project_id, args["sections"], version)
    body, tag = _fiche_view(user, db.session.get(Project, project_id))
    return body, 200, {"ETag": tag}


@blp.route(f"/<{ID}:project_id>/fiche/revisions", methods=["GET"])
@authenticated
@blp.response(200, RevisionSummarySchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_revisions(project_id):
    """The revisions you may read, oldest first (a Member State: the approved one alone)."""
    user = current_user()
    project = _project(user, project_id)
    revisions = ops.revisions_of(db.session, project.id)
    approved = ops.approved_number(project, revisions)
    access = fiche_access(user, project)
    readable = ops.readable_revisions(db.session, user, project)
    return [_revision_view(project, r, revisions, approved, access) for r in readable]


@blp.route(f"/<{ID}:project_id>/fiche/revisions/<{ID}:number>", methods=["GET"])
@authenticated
@blp.response(200, RevisionSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_revision(project_id, number):
    """One revision as submitted, with the comments it was returned with (not for Member
    States, who read only the approved revision)."""
    user = current_user()
    project = _project(user, project_id)
    revisions = ops.revisions_of(db.session, project.id)
    approved = ops.approved_number(project, revisions)
    access = fiche_access(user, project)
    readable = ops.readable_revisions(db.session, user, project)
    found = next((r for r in readable if r.number == number), None)
    if found is None:
        raise NotFound(f"No revision {number} of this fiche.")
    return _revision_view(project, found, revisions, approved, access)


@blp.route(f"/<{ID}:project_id>", methods=["PATCH"])
@authenticated
@blp.arguments(ParticularsSchema)
@blp.response(200, ProjectSchema, headers=ETAG_HEADER)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="The call has opened, or If-Match stale")
@blp.doc(parameters=[IF_MATCH_DOC])
def patch_particulars(values, project_id):
    """Correct the particulars (title, institution, sector, instrument, budget, months) until
    the call opens; every change is audited with its before and after values."""
    user = current_user()
    _project(user, project_id)
    version = expected_version()
    project = ops.update_particulars(db.session, get_engine(), user, project_id, values, version)
    return project, 200, {"ETag": etag(project)}
