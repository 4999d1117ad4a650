"""The marshmallow schema of every definition file, project lifecycles and record workflows alike:
shape and types, before semantics (checks.py)."""

import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from twinflow.workflow.durations import Duration
from twinflow.workflow.labels import LabelField, Labels

NAME = validate.Regexp(
    r"^[a-z][a-z0-9_]*$", error="must be lower_snake_case, starting with a letter"
)
FIELD_TYPES = ("datetime", "date", "string", "integer", "decimal")
ANCHORS = (
    "entry",
    "proposal_deadline",
    "circulated_at",
    "contract_signed_at",
    "implementation_start",
    "implementation_end",
)


class DurationField(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return Duration.parse(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class RangeSchema(StrictSchema):
    min = fields.Integer(load_default=None)
    max = fields.Integer(load_default=None)


class RulesSchema(StrictSchema):
    budget_eur_above = fields.Integer(load_default=None)
    budget_eur_at_most = fields.Integer(load_default=None)
    implementation_months = fields.Nested(RangeSchema, load_default=None)
    junior_member_states_allowed = fields.Boolean(load_default=True)
    rta_required = fields.Boolean(load_default=False)
    rta_allowed = fields.Boolean(load_default=True)
    rta_secondment_months = fields.Nested(RangeSchema, load_default=None)
    proposal_period = DurationField(load_default=Duration(days=56))
    # Records (side letters): the largest reallocation, as a share of the budget.
    max_reallocation_percent = fields.Integer(
        load_default=None, validate=validate.Range(min=0, max=100)
    )
    # How far in the past a contract's implementation start may lie (older: the import's job).
    start_backdating_tolerance = DurationField(load_default=Duration(days=30))
    # The execution period runs this many months past the implementation period (Manual: 3).
    execution_extra_months = fields.Integer(load_default=3, validate=validate.Range(min=0))
    # Records due within a window after the implementation end (the review mission's).
    after_end_months = fields.Nested(RangeSchema, load_default=None)
    # The selection meeting after the proposal deadline (Manual: about 2 weeks).
    selection_meeting_period = DurationField(load_default=Duration(days=14))


class DataFieldSchema(StrictSchema):
    name = fields.String(required=True, validate=NAME)
    type = fields.String(required=True, validate=validate.OneOf(FIELD_TYPES))
    label = LabelField(load_default=Labels())
    required = fields.Boolean(load_default=False)
    future = fields.Boolean(load_default=False)


class DeadlineSchema(StrictSchema):
    key = fields.String(required=True, validate=NAME)
    title = LabelField(required=True)
    # Due `after` the anchor (the state's entry or a project date); with `every`, one deadline
    # per period from the anchor until `until`, each due `after` the period's end.
    anchor = fields.String(load_default="entry", validate=validate.OneOf(ANCHORS))
    after = DurationField(load_default=Duration())
    every = DurationField(load_default=None)
    until = fields.String(load_default=None, validate=validate.OneOf(ANCHORS))
    reminders = fields.List(DurationField(), load_default=list)
    notify = fields.List(fields.String(), load_default=list)
    escalate_every = DurationField(load_default=None)
    met_on = fields.String(load_default="exit", validate=validate.OneOf(("exit", "record")))


class StateSchema(StrictSchema):
    name = fields.String(required=True, validate=NAME)
    # Texts people read: one string (English) or {en: ..., fr: ...} (labels.py).
    label = LabelField(load_default=Labels())
    description = LabelField(load_default=Labels())
    terminal = fields.Boolean(load_default=False)
    deadlines = fields.List(fields.Nested(DeadlineSchema), load_default=list)


# A transition's `dest: previous` goes back to the state its source was entered from (resume).
PREVIOUS = "previous"
MODES = ("direct", "indirect")


class EndorsementSchema(StrictSchema):
    # Under these management modes the step waits first for this party's prior approval.
    by = fields.String(required=True, validate=NAME)
    under = fields.List(
        fields.String(validate=validate.OneOf(MODES)),
        required=True,
        validate=validate.Length(min=1),
    )


class TransitionSchema(StrictSchema):
    trigger = fields.String(required=True, validate=NAME)
    label = LabelField(load_default=Labels())
    source = fields.Raw(required=True)
    dest = fields.String(required=True)
    allowed = fields.List(fields.String(), load_default=list)
    # The one multi-party consent: a list (every party) or {parties: [...], needs: N}.
    signoff = fields.Raw(load_default=None)
    # Legacy spellings of `signoff` (all parties), kept for editions stored before it.
    approvals = fields.List(fields.String(), load_default=list)
    signatures = fields.List(fields.String(), load_default=list)
    # Separation of duties: neither the author, an editor nor a signer may take this step.
    by_someone_else = fields.Boolean(load_default=False)
    # {by: delegation, under: [indirect]}: that party's consent comes first, in those modes.
    endorsement = fields.Nested(EndorsementSchema, load_default=None)
    comment = fields.String(
        load_default="optional", validate=validate.OneOf(("required", "optional"))
    )
    guards = fields.List(fields.String(), load_default=list)
    effects = fields.List(fields.String(), load_default=list)
    data = fields.List(fields.Nested(DataFieldSchema), load_default=list)

    @validates("source")
    def _source_is_name_or_list(self, value, data_key):
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise ValidationError("must be a state name, a list of state names, or '*'")


class SignerSchema(StrictSchema):
    # A party's slot that only a named person (a resolver's name) or their deputy takes.
    party = fields.String(required=True, validate=NAME)
    person = fields.String(required=True, validate=NAME)


class SignoffSchema(StrictSchema):
    # Every party listed, or `needs` of them; or one named person (a resolver's name). A listed
    # party may be {party, person}: that party's slot is taken by the person alone.
    parties = fields.List(fields.Raw(), load_default=list)
    needs = fields.Integer(load_default=None, validate=validate.Range(min=1))
    person = fields.String(load_default=None, validate=NAME)


class DefinitionSchema(StrictSchema):
    # What the file drives; a file without it is a project lifecycle (older editions).
    kind = fields.String(load_default="project", validate=validate.OneOf(("project", "record")))
    name = fields.String(required=True, validate=NAME)
    title = LabelField(required=True)
    description = LabelField(load_default=Labels())
    roles = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    initial = fields.String(required=True)
    rules = fields.Nested(RulesSchema, load_default=dict)
    # Records only: the type driven, who drafts, in which project states, what may change.
    record_type = fields.String(load_default=None, validate=NAME)
    drafted_by = fields.List(fields.String(), load_default=list)
    project_states = fields.List(fields.String(validate=NAME), load_default=list)
    editable = fields.List(fields.String(), load_default=list)
    changes = fields.List(fields.String(), load_default=list)
    states = fields.List(fields.Nested(StateSchema), required=True, validate=validate.Length(min=1))
    transitions = fields.List(
        fields.Nested(TransitionSchema), required=True, validate=validate.Length(min=1)
    )


def flatten_errors(messages, prefix: str = "") -> list[tuple[str, str]]:
    """marshmallow's nested error dict as (path, reason) pairs: transitions[3].dest."""
    out: list[tuple[str, str]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if isinstance(key, int):
                path = f"{prefix}[{key}]"
            elif key == "_schema":
                path = prefix
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            out.extend(flatten_errors(value, path))
    elif isinstance(messages, list):
        for item in messages:
            out.extend(flatten_errors(item, prefix))
    else:
        text = str(messages)
        text = re.sub(r"^Unknown field\.$", "unknown field (not part of a definition)", text)
        out.append((prefix, text[0].lower() + text[1:] if text else text))
    return out
