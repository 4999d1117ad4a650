"""The output shape of an NCP's forwarding, shared by its own route and the project detail."""

from marshmallow import Schema, fields


class ForwardingSchema(Schema):
    project_id = fields.Integer()
    call_round = fields.Integer()
    member_state = fields.String()
    internal_deadline = fields.DateTime(allow_none=True)
    note = fields.String()
    forwarded_at = fields.DateTime()


def forwarding_view(forwarding) -> dict | None:
    if forwarding is None:
        return None
    return {name: getattr(forwarding, name) for name in ForwardingSchema().fields}
