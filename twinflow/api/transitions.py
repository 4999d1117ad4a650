"""POST /projects/<id>/transitions: fire a trigger, or start the approvals it needs."""

from twinflow.api.blueprint import Blueprint
from twinflow.api.common import (
    ETAG_HEADER,
    ID,
    IF_MATCH_DOC,
    approval_view,
    etag,
    expected_version,
    visible_project,
)
from twinflow.api.idempotency import HEADER_DOC, run_once
from twinflow.api.schemas import TransitionRequestSchema, TransitionResultSchema
from twinflow.api.security import authenticated, current_user
from twinflow.extensions import db
from twinflow.services import get_engine

blp = Blueprint(
    "transitions", __name__, url_prefix="/api/v1/projects", description="Lifecycle transitions"
)


@blp.route(f"/<{ID}:project_id>/transitions", methods=["POST"])
@authenticated
@blp.arguments(TransitionRequestSchema)
@blp.response(200, TransitionResultSchema, headers=ETAG_HEADER, description="Applied")
@blp.alt_response(
    202,
    schema=TransitionResultSchema,
    headers=ETAG_HEADER,
    description="Not applied yet: the approval of other parties was requested",
)
@blp.alt_response(403, response="FORBIDDEN", description="Your role may not fire this")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(
    409, response="CONFLICT", description="Not possible in the current state, or If-Match stale"
)
@blp.doc(parameters=[HEADER_DOC, IF_MATCH_DOC])
def fire(args, project_id):
    """Fire a trigger, e.g. {"trigger": "approve_fiche", "data": {"proposal_deadline": ...}}.

    422 when a guard fails or the data is invalid (all field errors in details)."""
    user = current_user()
    visible_project(user, project_id)
    version = expected_version()
    engine = get_engine()

    def action(commit: bool):
        result = engine.fire(
            db.session,
            user,
            project_id,
            args["trigger"],
            comment=args["comment"],
            data=args["data"],
            expected_version=version,
            commit=commit,
        )
        body = TransitionResultSchema().dump(
            {
                "applied": result.applied,
                "project": result.project,
                "approval": approval_view(result.approval, user) if result.approval else None,
            }
        )
        return (200 if result.applied else 202), body, {"ETag": etag(result.project)}

    return run_once(user, action)
