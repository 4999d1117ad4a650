"""POST /api/v1/projects/<id>/call/forwarding: a National Contact Point forwards the open call
to its country's institutions; GET: the forwarding the caller's Member State received."""

from marshmallow import RAISE, Schema, validate

from twinflow.api.blueprint import Blueprint
from twinflow.api.common import ID, visible_project
from twinflow.api.fields import LongText, Moment
from twinflow.api.security import authenticated, current_user
from twinflow.calls.operations import NOTE_MAX, forward_call, forwarding_for
from twinflow.calls.schemas import ForwardingSchema, forwarding_view
from twinflow.extensions import db
from twinflow.services import get_engine
from twinflow.workflow.errors import NotFound

blp = Blueprint(
    "calls",
    __name__,
    url_prefix="/api/v1/projects",
    description="Calls through the National Contact Points",
)


class ForwardingRequestSchema(Schema):
    class Meta:
        unknown = RAISE

    internal_deadline = Moment(
        allow_none=True,
        load_default=None,
        metadata={"description": "Your institutions' deadline, before the call's (UTC)"},
    )
    note = LongText(load_default="", validate=validate.Length(max=NOTE_MAX))


FORWARDING = f"/<{ID}:project_id>/call/forwarding"


@blp.route(FORWARDING, methods=["POST"])
@authenticated
@blp.arguments(ForwardingRequestSchema)
@blp.response(200, ForwardingSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Only a National Contact Point")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="The call is not open")
def forward(values, project_id):
    """Forward the open call round to your Member State's institutions (NCPs only); again to
    change the internal deadline. Its institutions are notified."""
    forwarding = forward_call(db.session, get_engine(), current_user(), project_id, values)
    return forwarding_view(forwarding)


@blp.route(FORWARDING, methods=["GET"])
@authenticated
@blp.response(200, ForwardingSchema)
@blp.alt_response(404, response="NOT_FOUND", description="Not forwarded to your country")
def get_forwarding(project_id):
    """The current call round as your Member State's NCP forwarded it (Member States only)."""
    user = current_user()
    project = visible_project(user, project_id)
    forwarding = forwarding_for(db.session, user, project)
    if forwarding is None:
        raise NotFound("Your National Contact Point has not forwarded this call round.")
    return forwarding_view(forwarding)
