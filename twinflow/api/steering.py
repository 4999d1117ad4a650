"""Project Steering Committee meetings: one each quarter (a quarter without one is overdue)."""

from twinflow.api.blueprint import Blueprint
from twinflow.api.idempotency import HEADER_DOC, run_once
from twinflow.api.record_schemas import MeetingCreateSchema, MeetingSchema
from twinflow.api.records import PROJECT
from twinflow.api.security import authenticated, current_user
from twinflow.extensions import db
from twinflow.services import get_engine
from twinflow.steering import operations as steering

blp = Blueprint(
    "steering",
    __name__,
    url_prefix="/api/v1/projects",
    description="Steering committee meetings",
)


@blp.route(f"{PROJECT}/steering-meetings", methods=["GET"])
@authenticated
@blp.response(200, MeetingSchema(many=True))
@blp.alt_response(403, response="FORBIDDEN", description="Not a party to this project")
@blp.alt_response(404, response="NOT_FOUND")
def list_meetings(project_id):
    """The meetings held, oldest first (overdue quarters are in GET .../progress)."""
    return steering.meetings(db.session, get_engine(), current_user(), project_id)


@blp.route(f"{PROJECT}/steering-meetings", methods=["POST"])
@authenticated
@blp.arguments(MeetingCreateSchema)
@blp.response(201, MeetingSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Project leaders and coordinators")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Only during implementation")
@blp.doc(parameters=[HEADER_DOC])
def record(values, project_id):
    """Record a meeting once held (date, attendees, minutes); it meets the steering committee
    deadline of its quarter."""
    user = current_user()

    def action(commit: bool):
        made = steering.record_meeting(
            db.session, get_engine(), user, project_id, values, commit=commit
        )
        return 201, MeetingSchema().dump(made), {}

    return run_once(user, action)
