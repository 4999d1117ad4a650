"""POST /projects, GET /projects (only what the caller may see), GET /projects/<id>, PATCH
/projects/<id> (corrections of an imported record's particulars, with a reason)."""

from flask import url_for
from marshmallow import RAISE

from twinflow.api.blueprint import Blueprint
from twinflow.api.common import (
    ETAG_HEADER,
    ID,
    IF_MATCH_DOC,
    etag,
    expected_version,
    visible_project,
    visible_project_detail,
)
from twinflow.api.idempotency import HEADER_DOC, run_once
from twinflow.api.import_schemas import CorrectionResultSchema, ParticularsPatchSchema
from twinflow.api.list_args import ProjectExportArgsSchema, ProjectListArgsSchema
from twinflow.api.pagination import PAGE_HEADERS, paginate
from twinflow.api.schemas import (
    ProjectCreateSchema,
    ProjectDetailSchema,
    ProjectSchema,
)
from twinflow.api.security import authenticated, current_user
from twinflow.extensions import db
from twinflow.projects.export import CSV_TYPE, EXPORT_RESPONSE, XLSX_TYPE, export_response
from twinflow.projects.listing import ListQuery, country_names, page_rows, project_list
from twinflow.projects.operations import create_project
from twinflow.projects.particulars import update_particulars
from twinflow.projects.permissions import visible_projects_clause
from twinflow.reference import reference_for
from twinflow.services import get_engine

blp = Blueprint("projects", __name__, url_prefix="/api/v1/projects", description="Projects")


@blp.route("", methods=["POST"])
@authenticated
@blp.arguments(ProjectCreateSchema)
@blp.response(201, ProjectSchema, headers=ETAG_HEADER)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT")
@blp.doc(parameters=[HEADER_DOC])
def create(values):
    """Create a project in its lifecycle's first state; its reference is generated.

    A beneficiary creates for its own administration; a coordinator names the beneficiary
    (beneficiary_country, beneficiary_institution)."""
    user = current_user()

    def action(commit: bool):
        project = create_project(db.session, get_engine(), user, values, commit=commit)
        headers = {
            "ETag": etag(project),
            "Location": url_for("projects.get_project", project_id=project.id),
        }
        return 201, ProjectSchema().dump(project), headers

    return run_once(user, action)


@blp.route("", methods=["GET"])
@authenticated
@blp.arguments(ProjectListArgsSchema, location="query", unknown=RAISE)
@blp.response(200, ProjectSchema(many=True), headers=PAGE_HEADERS)
def list_projects(args):
    """The projects you may see, searched, filtered and sorted (`sort=-start`: latest start
    first; empty values last), paginated (see the Link and X-Total-Count headers)."""
    query = project_list(visible_projects_clause(current_user()), list_query(args))
    # As the web list: the page's ids sorted on their own, then only their rows read.
    items, headers = paginate(query, args["page"], args["per_page"], read=_page_rows)
    return items, 200, headers


def _page_rows(query, limit: int, offset: int):
    return page_rows(db.session, query, limit, offset)


@blp.route("/export", methods=["GET"])
@authenticated
@blp.arguments(ProjectExportArgsSchema, location="query", unknown=RAISE)
@blp.response(200, EXPORT_RESPONSE, content_type=CSV_TYPE)
@blp.doc(
    responses={
        "200": {
            "content": {t: {"schema": EXPORT_RESPONSE} for t in (CSV_TYPE, XLSX_TYPE)},
            "description": "The file: CSV (format=csv, the default) or XLSX (format=xlsx)",
        }
    }
)
def export_projects(args):
    """The same list, every page, as a CSV or XLSX file (streamed), with labels in words."""
    query = project_list(visible_projects_clause(current_user()), list_query(args))
    return export_response(query, args["format"], get_engine())


def list_query(args: dict) -> ListQuery:
    """The API's query arguments as the list query (`type` and `workflow` are one filter)."""
    reference = reference_for(get_engine())
    return ListQuery(
        q=args.get("q", ""),
        types=tuple(args[k] for k in ("type", "workflow") if k in args),
        instrument=args.get("instrument"),
        country=reference.country_code(args["country"]) if "country" in args else None,
        sector=args.get("sector"),
        state=args.get("state"),
        member_state=reference.country_code(args.get("member_state")),
        year_from=args.get("year_from"),
        year_to=args.get("year_to"),
        sort=args["sort"],
        countries_named=country_names(reference),
    )


@blp.route(f"/<{ID}:project_id>", methods=["GET"])
@authenticated
@blp.response(200, ProjectDetailSchema, headers=ETAG_HEADER)
@blp.alt_response(404, response="NOT_FOUND")
def get_project(project_id):
    """The project, what you may fire now, its pending approvals and open deadlines."""
    project, detail = visible_project_detail(current_user(), project_id)
    return detail, 200, {"ETag": etag(project)}


# Corrections of imported history: their own route beside the fiche's PATCH of a live
# project's particulars (twinflow/fiche/api.py), since they take a reason and answer warnings.
@blp.route(f"/<{ID}:project_id>/corrections", methods=["POST"])
@authenticated
@blp.arguments(ParticularsPatchSchema)
@blp.response(200, CorrectionResultSchema, headers=ETAG_HEADER)
@blp.alt_response(403, response="FORBIDDEN", description="Coordinators and administrators")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="If-Match stale")
@blp.doc(parameters=[IF_MATCH_DOC])
def correct(values, project_id):
    """Correct or complete an imported record's particulars, saying why in `reason`: each
    value is read as the import reads its column (docs/import.md) and null empties a field.
    One `particulars_updated` audit event holds each field's before and after and the reason.
    Rules of live steps (budget, months, Member States) are answered as warnings."""
    user = current_user()
    project = visible_project(user, project_id)
    reason = values.pop("reason", None)
    try:
        changed, warnings = update_particulars(
            db.session,
            get_engine(),
            user,
            project,
            values,
            reason,
            expected_version=expected_version(),
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    body = {
        "project": project,
        "changed": changed,
        "warnings": [{"row": None, "column": c, "value": v, "reason": r} for c, v, r in warnings],
    }
    return body, 200, {"ETag": etag(project)}
