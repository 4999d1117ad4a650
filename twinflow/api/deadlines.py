"""A project's deadlines, and a coordinator's waiver or move of one (with a reason)."""

from marshmallow import Schema, validate

from twinflow.api.blueprint import Blueprint
from twinflow.api.common import ID, visible_project
from twinflow.api.fields import LongText, Moment, nonblank
from twinflow.api.idempotency import HEADER_DOC, run_once
from twinflow.api.records import PROJECT
from twinflow.api.schemas import DeadlineSchema
from twinflow.api.security import authenticated, current_user
from twinflow.deadlines.permissions import visible_deadlines
from twinflow.deadlines.reads import project_deadlines
from twinflow.deadlines.waivers import REASON_MAX, move_deadline, waive_deadline
from twinflow.extensions import db
from twinflow.services import get_engine

blp = Blueprint(
    "deadlines_api",
    __name__,
    url_prefix="/api/v1/projects",
    description="Deadlines: waived or moved by a coordinator, with a reason",
)
DEADLINE = f"{PROJECT}/deadlines/<{ID}:deadline_id>"


class WaiverSchema(Schema):
    reason = LongText(required=True, validate=[validate.Length(min=1, max=REASON_MAX), nonblank])


class MoveSchema(WaiverSchema):
    due_at = Moment(required=True, metadata={"description": "The new due date, in the future"})


def _run(user, operation, status: int):
    def action(commit: bool):
        try:
            deadline = operation()
            if commit:
                db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        return status, DeadlineSchema().dump(deadline), {}

    return run_once(user, action)


@blp.route(f"{PROJECT}/deadlines", methods=["GET"])
@authenticated
@blp.response(200, DeadlineSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_deadlines(project_id):
    """Every deadline of the project you may see, open or closed (met, superseded, cancelled,
    waived), by due date."""
    user = current_user()
    project = visible_project(user, project_id)
    return visible_deadlines(user, project, project_deadlines(db.session, project.id))


@blp.route(f"{DEADLINE}/waiver", methods=["POST"])
@authenticated
@blp.arguments(WaiverSchema)
@blp.response(200, DeadlineSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Coordinators only")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="The deadline is no longer open")
@blp.doc(parameters=[HEADER_DOC])
def waive(values, project_id, deadline_id):
    """Waive an open deadline: it reminds and escalates no more, and an interim report it
    asked for no longer holds back the closure. Audited with the reason."""
    user = current_user()
    now = get_engine().clock.now()
    return _run(
        user,
        lambda: waive_deadline(
            db.session, user, project_id, deadline_id, values["reason"], now=now
        ),
        200,
    )


@blp.route(f"{DEADLINE}/move", methods=["POST"])
@authenticated
@blp.arguments(MoveSchema)
@blp.response(201, DeadlineSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Coordinators only")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="The deadline is no longer open")
@blp.doc(parameters=[HEADER_DOC])
def move(values, project_id, deadline_id):
    """Move an open deadline to a new date: the old one is superseded and the new one (its
    reminders counted afresh) is returned. Audited with the dates before and after."""
    user = current_user()
    now = get_engine().clock.now()
    return _run(
        user,
        lambda: move_deadline(
            db.session,
            user,
            project_id,
            deadline_id,
            values["due_at"],
            values["reason"],
            now=now,
        ),
        201,
    )
