"""GET /approvals (your inbox) and POST /approvals/<id> (approve or reject)."""

from marshmallow import RAISE
from sqlalchemy import select

from twinflow.api.blueprint import Blueprint
from twinflow.api.common import ETAG_HEADER, ID, approval_view, etag, withheld_user_ids
from twinflow.api.idempotency import HEADER_DOC, run_once
from twinflow.api.list_args import ApprovalListArgsSchema
from twinflow.api.schemas import (
    ApprovalSchema,
    DecisionRequestSchema,
    DecisionResultSchema,
)
from twinflow.api.security import authenticated, current_user
from twinflow.approvals.models import Signoff
from twinflow.approvals.permissions import can_view_approval
from twinflow.extensions import db
from twinflow.projects.models import Project
from twinflow.projects.permissions import visible_projects_clause
from twinflow.services import get_engine
from twinflow.workflow.errors import NotFound

blp = Blueprint("approvals", __name__, url_prefix="/api/v1/approvals", description="Approvals")


@blp.route("", methods=["GET"])
@authenticated
@blp.arguments(ApprovalListArgsSchema, location="query", unknown=RAISE)
@blp.response(200, ApprovalSchema(many=True))
def inbox(args):
    """Approval requests in which you are one of the parties (administrators see all);
    `awaiting_you` marks those still waiting for your decision."""
    user, engine = current_user(), get_engine()
    query = (
        select(Signoff, Project)
        .join(Project, Project.id == Signoff.project_id)
        .where(Signoff.subject_type == "project", visible_projects_clause(user))
        .order_by(Signoff.created_at.desc(), Signoff.id.desc())
    )
    if args["status"] != "all":
        query = query.where(Signoff.status == args["status"])
    shown, parties_by_project = [], {}
    for approval, project in db.session.execute(query):
        if not can_view_approval(user, project, approval):
            continue
        if project.id not in parties_by_project:
            parties_by_project[project.id] = engine.parties(db.session, user, project)
        mine = parties_by_project[project.id]
        if user.role == "admin" or any(p in mine for p in approval.parties):
            shown.append((approval, mine))
    withheld = withheld_user_ids(user, [a for a, _ in shown])
    return [approval_view(a, user, mine, withheld) for a, mine in shown]


@blp.route(f"/<{ID}:approval_id>", methods=["POST"])
@authenticated
@blp.arguments(DecisionRequestSchema)
@blp.response(200, DecisionResultSchema, headers=ETAG_HEADER)
@blp.alt_response(403, response="FORBIDDEN", description="This approval does not wait for you")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Already decided, or the project moved")
@blp.doc(parameters=[HEADER_DOC])
def decide(args, approval_id):
    """Approve or reject (a comment is required to reject). The last approval applies the
    transition: the project in the answer is then in its new state."""
    user, engine = current_user(), get_engine()
    approval = db.session.get(Signoff, approval_id)
    project = db.session.get(Project, approval.project_id) if approval else None
    if approval is None or not can_view_approval(user, project, approval):
        raise NotFound(f"No approval request {approval_id}.")

    def action(commit: bool):
        result = engine.decide(
            db.session, user, approval_id, args["decision"], args["comment"], commit=commit
        )
        body = DecisionResultSchema().dump(
            {"approval": approval_view(result.approval, user), "project": result.project}
        )
        return 200, body, {"ETag": etag(result.project)}

    return run_once(user, action)
