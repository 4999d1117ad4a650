"""What the API accepts (input schemas) and what it answers (output schemas), kept apart.

Input schemas check shape and type only (unknown fields and wrong types -> 422 together);
whether a value is allowed by the rules is the operations' job, so the API and the web UI
give the same answer.
"""

from marshmallow import Schema, fields, validate

from twinflow.api import vocabularies
from twinflow.api.dumping import PlannedSchema
from twinflow.api.fields import (
    LETTER_OR_DIGIT_LINE,
    MAX_ID,
    MAX_TEXT,
    Country,
    DecimalString,
    LongText,
    NumberDecimal,
    Text,
    Vocabulary,
    has_letter_or_digit,
    nonblank,
)
from twinflow.api.workflow_schemas import DataFieldSchema
from twinflow.calls.schemas import ForwardingSchema

# -- errors --------------------------------------------------------------------------------


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"example": "invalid_in_state"})
    message = fields.String(required=True)
    details = fields.Dict(
        required=True,
        metadata={"description": "Field errors by field path, or facts about the refusal"},
    )


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


# -- inputs --------------------------------------------------------------------------------


class TokenRequestSchema(Schema):
    email = Text(required=True, validate=validate.Length(min=1, max=254))
    password = Text(required=True, validate=validate.Length(min=1, max=1000))


class ProjectCreateSchema(Schema):
    # nonblank refuses "" too: one message for an empty title, not "length" and "blank".
    title = Text(required=True, validate=[validate.Length(max=300), nonblank])
    workflow = Text(
        required=True,
        validate=Vocabulary(vocabularies.types, what="workflow"),
        metadata={"description": "The project type (GET /workflows lists them)"},
    )
    sector = Text(required=True, validate=Vocabulary(vocabularies.new_project_sectors))
    instrument = Text(required=True, validate=Vocabulary(vocabularies.new_project_instruments))
    budget_eur = NumberDecimal(required=True, allow_nan=False, low=0, high=999_999_999_999)
    implementation_months = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1, max=600)
    )
    description = LongText(validate=validate.Length(max=MAX_TEXT))
    programme_year = fields.Integer(strict=True, validate=validate.Range(min=2000, max=2100))
    beneficiary_country = Country(
        metadata={"description": "coordinators name the beneficiary; beneficiaries omit it"}
    )
    beneficiary_institution = Text(validate=validate.Length(min=1, max=200))
    management_mode = Text(
        validate=validate.OneOf(["direct", "indirect"]),
        metadata={"description": "From the fiche; direct (the default) or indirect"},
    )
    contracting_authority_id = fields.Integer(
        strict=True,
        allow_none=True,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={
            "description": "Indirect management: the contracting authority (GET /organisations)"
        },
    )
    reference = Text(
        validate=[validate.Length(min=1, max=60), nonblank, has_letter_or_digit],
        metadata={
            "description": "The project's reference, kept as written (unique, spacing and "
            "punctuation aside); omitted: one is made in today's form CC YY INSTR SS NN ZZ",
            # Stated in the document too, so a client (and the fuzzer) knows "@" is no reference.
            "pattern": LETTER_OR_DIGIT_LINE,
        },
    )


PARTIAL_DATE = {
    "pattern": r"^\d{4}(-Q[1-4]|-\d{2}(-\d{2})?)?$",
    "description": "YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD: kept at that precision",
    "example": "2017-Q3",
}


class TransitionRequestSchema(Schema):
    trigger = Text(required=True, validate=Vocabulary(vocabularies.triggers, what="trigger"))
    comment = LongText(load_default=None, validate=validate.Length(max=MAX_TEXT))
    data = fields.Dict(
        keys=Text(validate=validate.Length(max=100)),
        load_default=None,
        metadata={"description": "Values the trigger declares, e.g. proposal_deadline"},
    )


class DecisionRequestSchema(Schema):
    decision = Text(required=True, validate=validate.OneOf(["approve", "reject"]))
    comment = LongText(load_default=None, validate=validate.Length(max=MAX_TEXT))


class ProposalCreateSchema(Schema):
    lead_member_state = Country(metadata={"description": "your own Member State (the default)"})
    junior_member_states = fields.List(Country(), validate=validate.Length(max=30))
    project_leader = Text(required=True, validate=validate.Length(min=1, max=200))
    rta_name = Text(allow_none=True, validate=validate.Length(max=200))
    summary = LongText(validate=validate.Length(max=MAX_TEXT))


class ProposalUpdateSchema(Schema):
    junior_member_states = fields.List(Country(), validate=validate.Length(max=30))
    project_leader = Text(validate=validate.Length(min=1, max=200))
    rta_name = Text(allow_none=True, validate=validate.Length(max=200))
    summary = LongText(validate=validate.Length(max=MAX_TEXT))


# -- outputs -------------------------------------------------------------------------------


class TokenSchema(Schema):
    token = fields.String(required=True, metadata={"description": "Shown once; keep it secret"})
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_at = fields.DateTime(required=True)


class ProjectSchema(PlannedSchema):
    id = fields.Integer()
    reference = fields.String(metadata={"example": "GE 27 ENI JH 01 27"})
    title = fields.String()
    description = fields.String()
    workflow = fields.String()
    workflow_version = fields.String()
    state = fields.String()
    version = fields.Integer(metadata={"description": "Also the ETag; send it as If-Match"})
    beneficiary_country = fields.String()
    beneficiary_institution = fields.String(allow_none=True)
    sector = fields.String(allow_none=True)
    instrument = fields.String(allow_none=True)
    programme_year = fields.Integer(allow_none=True)
    budget_eur = DecimalString(allow_none=True)
    implementation_months = fields.Integer(allow_none=True)
    total_months = fields.Integer(
        allow_none=True, metadata={"description": "the execution period: 21/24 is 21 of 24"}
    )
    start = fields.String(allow_none=True, metadata=PARTIAL_DATE)
    start_display = fields.String(allow_none=True, metadata={"example": "Q3 2017"})
    end = fields.String(allow_none=True, metadata=PARTIAL_DATE)
    end_display = fields.String(allow_none=True, metadata={"example": "Sep 2019"})
    status_note = fields.String(allow_none=True)
    source_url = fields.String(allow_none=True)
    priority_area = fields.String(allow_none=True, metadata={"description": "public filing"})
    subsector = fields.String(allow_none=True)
    topic = fields.String(allow_none=True)
    imported_at = fields.DateTime(allow_none=True)
    management_mode = fields.String()
    contracting_authority_id = fields.Integer(allow_none=True)
    call_round = fields.Integer()
    circulated_at = fields.DateTime(allow_none=True)
    proposal_deadline = fields.DateTime(allow_none=True)
    recirculation_count = fields.Integer()
    contract_signed_at = fields.DateTime(allow_none=True)
    implementation_start = fields.DateTime(allow_none=True)
    implementation_end = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    state_changed_at = fields.DateTime()


class DecisionSchema(Schema):
    party = fields.String()
    decision = fields.String()
    comment = fields.String(allow_none=True)
    user_id = fields.Integer(
        allow_none=True, metadata={"description": "null: a user of another Member State"}
    )
    decided_at = fields.DateTime()


class ApprovalSchema(Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    trigger = fields.String()
    from_state = fields.String()
    status = fields.String(metadata={"description": "pending, approved, rejected or withdrawn"})
    parties = fields.List(fields.String())
    approved_parties = fields.List(fields.String())
    owed_parties = fields.List(fields.String())
    comment = fields.String(allow_none=True)
    data = fields.Dict()
    requested_by_id = fields.Integer(
        allow_none=True, metadata={"description": "null: a user of another Member State"}
    )
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    decisions = fields.List(fields.Nested(DecisionSchema))
    awaiting_you = fields.Boolean(
        metadata={"description": "true when one of your parties still owes a decision"}
    )


class TriggerOptionSchema(Schema):
    trigger = fields.String()
    label = fields.String()
    available = fields.Boolean()
    blocked_by = fields.String(allow_none=True)
    pending_approval_id = fields.Integer(allow_none=True)
    needs_approvals = fields.List(fields.String())
    comment_required = fields.Boolean()
    data = fields.List(fields.Nested(DataFieldSchema))


class DeadlineSchema(Schema):
    id = fields.Integer()
    key = fields.String()
    title = fields.String()
    due_at = fields.DateTime()
    status = fields.String()
    decision_reason = fields.String(
        allow_none=True,
        metadata={"description": "Why a coordinator waived it or set its date (else null)"},
    )


class ProjectDetailSchema(ProjectSchema):
    lead_member_state = fields.String(
        allow_none=True,
        metadata={"description": "The partner, once you may know it (null before)"},
    )
    junior_member_states = fields.List(fields.String())
    available_triggers = fields.List(
        fields.String(), metadata={"description": "What you may fire now, guards evaluated"}
    )
    options = fields.List(fields.Nested(TriggerOptionSchema))
    pending_approvals = fields.List(fields.Nested(ApprovalSchema))
    deadlines = fields.List(fields.Nested(DeadlineSchema))
    proposals_received = fields.Integer(
        allow_none=True,
        metadata={
            "description": "While the call is open, how many proposals its current round "
            "received (never whose); null to Member States and outside an open call"
        },
    )
    call_forwarding = fields.Nested(
        ForwardingSchema,
        allow_none=True,
        metadata={
            "description": "The current call round as your Member State's National Contact "
            "Point forwarded it; null otherwise (and to every other Member State)"
        },
    )


class TransitionResultSchema(Schema):
    applied = fields.Boolean(required=True)
    project = fields.Nested(ProjectSchema, required=True)
    approval = fields.Nested(ApprovalSchema, allow_none=True)


class DecisionResultSchema(Schema):
    approval = fields.Nested(ApprovalSchema, required=True)
    project = fields.Nested(ProjectSchema, required=True)


class ProposalSchema(Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    call_round = fields.Integer()
    member_state = fields.String()
    lead_member_state = fields.String()
    junior_member_states = fields.List(fields.String())
    project_leader = fields.String()
    rta_name = fields.String(allow_none=True)
    summary = fields.String()
    is_selected = fields.Boolean(
        allow_none=True,
        metadata={
            "description": "Marked as the one to choose; null while the choice is not yours "
            "to know (a Member State learns it when select_partner applies)"
        },
    )
    submitted_at = fields.DateTime()
    updated_at = fields.DateTime()


class AuditEventSchema(Schema):
    id = fields.Integer()
    seq = fields.Integer()
    occurred_at = fields.String(metadata={"format": "date-time"})
    actor_id = fields.Integer(allow_none=True)
    actor_email = fields.String(allow_none=True)
    action = fields.String()
    project_id = fields.Integer(allow_none=True)
    trigger = fields.String(allow_none=True)
    from_state = fields.String(allow_none=True)
    to_state = fields.String(allow_none=True)
    data = fields.Dict()
    prev_hash = fields.String()
    hash = fields.String()
    actor_withheld = fields.Boolean(
        metadata={"description": "true when the actor is hidden from you (another Member State)"}
    )


class VerifySchema(Schema):
    ok = fields.Boolean(required=True)
    checked = fields.Integer(required=True)
    broken_seq = fields.Integer(allow_none=True)
    broken_id = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)
