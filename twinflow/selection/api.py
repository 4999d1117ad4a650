"""The selection record over HTTP: GET /projects/<id>/selection, PUT .../selection/eligibility/
<proposal_id> and PUT .../selection/meeting. The minutes are uploaded first as a document of
the category selection_minutes (POST /projects/<id>/documents) and named by their id."""

from marshmallow import Schema, fields, validate

from twinflow.api.blueprint import Blueprint
from twinflow.api.common import ID
from twinflow.api.fields import MAX_ID, LongText, NumberDecimal, Text
from twinflow.api.record_schemas import Day
from twinflow.api.security import authenticated, current_user
from twinflow.extensions import db
from twinflow.selection import operations as ops
from twinflow.selection.summary import selection_summary
from twinflow.services import get_engine

blp = Blueprint(
    "selection",
    __name__,
    url_prefix="/api/v1/projects",
    description="The selection record: eligibility, meeting, reserve",
)

PROPOSAL_ID = fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=MAX_ID))


class EligibilityWriteSchema(Schema):
    eligible = fields.Boolean(required=True)
    reason = Text(
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={"description": "Required when the proposal is not eligible"},
    )


class AttendanceSchema(Schema):
    proposal_id = PROPOSAL_ID
    leader_present = fields.Boolean(required=True)
    rta_present = fields.Boolean(required=True)


class ScoreSchema(Schema):
    proposal_id = PROPOSAL_ID
    score = NumberDecimal(allow_nan=False, allow_none=True, low=0, high=100)
    rank = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=1000))


class MeetingWriteSchema(Schema):
    held_on = Day(required=True)
    minutes_document_id = fields.Integer(
        strict=True, required=True, validate=validate.Range(min=1, max=MAX_ID)
    )
    attendance = fields.List(
        fields.Nested(AttendanceSchema),
        validate=validate.Length(max=100),
        metadata={"description": "Every eligible proposal once (none for a written selection)"},
    )
    scores = fields.List(fields.Nested(ScoreSchema), validate=validate.Length(max=100))
    reserve_proposal_id = fields.Integer(
        strict=True, allow_none=True, validate=validate.Range(min=1, max=MAX_ID)
    )
    notes = LongText(validate=validate.Length(max=20000))


class ProposalAssessmentSchema(Schema):
    proposal_id = fields.Integer()
    member_state = fields.String()
    lead_member_state = fields.String()
    junior_member_states = fields.List(fields.String())
    project_leader = fields.String()
    rta_name = fields.String(allow_none=True)
    eligible = fields.Boolean(allow_none=True)
    eligibility_reason = fields.String(allow_none=True)
    leader_present = fields.Boolean(allow_none=True)
    rta_present = fields.Boolean(allow_none=True)
    score = fields.Decimal(as_string=True, allow_none=True)
    rank = fields.Integer(allow_none=True)
    outcome = fields.String(
        allow_none=True, metadata={"description": "selected, reserve or not_selected, once decided"}
    )


class RecordSchema(Schema):
    kind = fields.String(metadata={"description": "meeting, or written (Twinning Light)"})
    held_on = fields.Date()
    minutes_document_id = fields.Integer()
    reserve_proposal_id = fields.Integer(allow_none=True)
    reserve_member_state = fields.String(allow_none=True)
    notes = fields.String()
    recorded_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    reserve_taken_up_at = fields.DateTime(allow_none=True)


class OutcomeSchema(Schema):
    member_state = fields.String()
    outcome = fields.String()
    decided_at = fields.DateTime(allow_none=True)


class SelectionSchema(Schema):
    project_id = fields.Integer()
    call_round = fields.Integer()
    kind = fields.String()
    default_held_on = fields.Date(allow_none=True)
    editable = fields.Boolean()
    proposals = fields.List(fields.Nested(ProposalAssessmentSchema))
    record = fields.Nested(RecordSchema, allow_none=True)
    outcomes = fields.List(
        fields.Nested(OutcomeSchema),
        metadata={"description": "A Member State's own result, once the partner is chosen"},
    )


def _summary(user, project_id):
    return selection_summary(db.session, get_engine(), user, project_id)


@blp.route(f"/<{ID}:project_id>/selection", methods=["GET"])
@authenticated
@blp.response(200, SelectionSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_selection(project_id):
    """The current call round's selection record (beneficiary, coordinators, administrators,
    once the call has closed); a Member State gets its own result once the partner is chosen."""
    return _summary(current_user(), project_id)


@blp.route(f"/<{ID}:project_id>/selection/eligibility/<{ID}:proposal_id>", methods=["PUT"])
@authenticated
@blp.arguments(EligibilityWriteSchema)
@blp.response(200, SelectionSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Coordinators only")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Only during selection")
def put_eligibility(values, project_id, proposal_id):
    """Record a proposal eligible or not (a reason is required when not), before the meeting."""
    user = current_user()
    ops.record_eligibility(db.session, get_engine(), user, project_id, proposal_id, values)
    return _summary(user, project_id)


@blp.route(f"/<{ID}:project_id>/selection/meeting", methods=["PUT"])
@authenticated
@blp.arguments(MeetingWriteSchema)
@blp.response(200, SelectionSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Coordinators only")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(
    409, response="CONFLICT", description="Not in selection, or an eligibility is missing"
)
def put_meeting(values, project_id):
    """Record the selection meeting (Twinning Light: the written evaluation) of the current
    round; it meets the selection meeting deadline. Recorded again, it replaces the record."""
    user = current_user()
    ops.record_meeting(db.session, get_engine(), user, project_id, values)
    return _summary(user, project_id)
