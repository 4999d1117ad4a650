"""Interim and final reports: draft, co-sign and submit (both project leaders), approve or
return (a coordinator who neither wrote nor signed it)."""

from twinflow.api.blueprint import Blueprint
from twinflow.api.common import ID
from twinflow.api.idempotency import HEADER_DOC, run_once
from twinflow.api.record_schemas import (
    RecordStepRequestSchema,
    ReportCreateSchema,
    ReportSchema,
    ReportStepResultSchema,
    ReportUpdateSchema,
)
from twinflow.api.records import PROJECT, owned, record_view, record_views
from twinflow.api.security import authenticated, current_user
from twinflow.extensions import db
from twinflow.records.operations import advance
from twinflow.reports import operations as reports
from twinflow.reports.models import Report
from twinflow.services import get_engine

blp = Blueprint(
    "reports", __name__, url_prefix="/api/v1/projects", description="Interim and final reports"
)
REPORT = f"{PROJECT}/reports/<{ID}:report_id>"


@blp.route(f"{PROJECT}/reports", methods=["GET"])
@authenticated
@blp.response(200, ReportSchema(many=True))
@blp.alt_response(403, response="FORBIDDEN", description="Not a party to this project")
@blp.alt_response(404, response="NOT_FOUND")
def list_reports(project_id):
    """The final report first, then the interim reports by quarter; `your_steps` says what
    you may do on each now, and why not when blocked."""
    user = current_user()
    found = reports.list_reports(db.session, get_engine(), user, project_id)
    return record_views(user, project_id, found)


@blp.route(f"{PROJECT}/reports", methods=["POST"])
@authenticated
@blp.arguments(ReportCreateSchema)
@blp.response(201, ReportSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Project leaders and coordinators")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(
    409, response="CONFLICT", description="Already drafted, or not in this project state"
)
@blp.doc(parameters=[HEADER_DOC])
def create(values, project_id):
    """Draft a report: {"kind": "interim", "number": 3} for the third quarter, or
    {"kind": "final"} once implementation has ended."""
    user = current_user()

    def action(commit: bool):
        made = reports.create_report(db.session, get_engine(), user, project_id, values, commit)
        return 201, ReportSchema().dump(record_view(user, made)), {}

    return run_once(user, action)


@blp.route(REPORT, methods=["PATCH"])
@authenticated
@blp.arguments(ReportUpdateSchema)
@blp.response(200, ReportSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Project leaders and coordinators")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Submitted or approved: not editable")
def edit(values, project_id, report_id):
    """Edit the title or summary of a draft or returned report; signatures already given in
    this round must be given again."""
    owned(Report, report_id, project_id, "report")
    user = current_user()
    edited = reports.update_report(db.session, get_engine(), user, report_id, values)
    return record_view(user, edited)


@blp.route(f"{REPORT}/transitions", methods=["POST"])
@authenticated
@blp.arguments(RecordStepRequestSchema)
@blp.response(200, ReportStepResultSchema, description="Applied: the report moved")
@blp.alt_response(
    202,
    schema=ReportStepResultSchema,
    description="Your signature is recorded; `owed` lists the signatures still needed",
)
@blp.alt_response(403, response="FORBIDDEN", description="Not yours to take, or you wrote it")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Not possible in the report's state")
@blp.doc(parameters=[HEADER_DOC])
def step(args, project_id, report_id):
    """Take a step: `submit` (each project leader signs; the second signature submits it),
    `approve` or `return` (a coordinator; a comment is required to return)."""
    owned(Report, report_id, project_id, "report")
    user = current_user()

    def action(commit: bool):
        done = advance(
            db.session,
            get_engine(),
            user,
            Report,
            report_id,
            args["trigger"],
            args["comment"],
            commit=commit,
        )
        report = record_view(user, done.record)
        body = {"applied": done.applied, "owed": done.owed, "report": report}
        return (200 if done.applied else 202), ReportStepResultSchema().dump(body), {}

    return run_once(user, action)
