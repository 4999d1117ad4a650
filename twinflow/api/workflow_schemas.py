"""What the API answers about the lifecycles themselves: states, transitions, deadlines."""

from marshmallow import Schema, fields


class DataFieldSchema(Schema):
    name = fields.String()
    type = fields.String()
    label = fields.String()
    required = fields.Boolean()
    future = fields.Boolean()


class DeadlineRuleSchema(Schema):
    key = fields.String()
    title = fields.String()
    anchor = fields.String(allow_none=True)
    after = fields.String(allow_none=True)
    every = fields.String(allow_none=True)
    until = fields.String(allow_none=True)
    reminders = fields.List(fields.String())
    notify = fields.List(fields.String())
    escalate_every = fields.String(allow_none=True)
    met_on = fields.String()


class StateSchema(Schema):
    name = fields.String()
    label = fields.String()
    description = fields.String()
    terminal = fields.Boolean()
    deadlines = fields.List(fields.Nested(DeadlineRuleSchema))


class TransitionRuleSchema(Schema):
    trigger = fields.String()
    label = fields.String()
    sources = fields.List(fields.String())
    dest = fields.String()
    allowed = fields.List(fields.String())
    approvals = fields.List(fields.String())
    signed_by_person = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "party -> the named person who signs for it (or a deputy)"},
    )
    comment_required = fields.Boolean()
    guards = fields.List(fields.String())
    data = fields.List(fields.Nested(DataFieldSchema))


class WorkflowSummarySchema(Schema):
    name = fields.String()
    title = fields.String()
    description = fields.String()
    version = fields.String()


class WorkflowSchema(WorkflowSummarySchema):
    roles = fields.List(fields.String())
    initial = fields.String()
    states = fields.List(fields.Nested(StateSchema))
    transitions = fields.List(fields.Nested(TransitionRuleSchema))
    diagram = fields.String(metadata={"description": "mermaid stateDiagram-v2 text"})
