"""What POST /workflows/<name>/migrations accepts and answers (the CLI prints the same report).

The input schema checks shape and type; whether the version, the states and the projects exist
is judged by twinflow/workflow/migrate.py, which names each bad field the same way.
"""

from marshmallow import Schema, fields, validate

from twinflow.api.fields import MAX_ID, Text

NAME = validate.Length(min=1, max=60)


class MigrationRequestSchema(Schema):
    to_version = Text(
        required=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "A version (content hash) of the workflow, e.g. its current one"},
    )
    projects = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID)),
        load_default=None,
        validate=validate.Length(min=1, max=10_000),
        metadata={"description": "Only these projects (default: every running project)"},
    )
    map = fields.Dict(
        keys=Text(validate=NAME),
        values=Text(validate=NAME),
        load_default=None,
        metadata={
            "description": "old state -> state of the new version, for states whose name is "
            'not in the new version, e.g. {"selection": "evaluation"}'
        },
    )
    dry_run = fields.Boolean(
        required=True, metadata={"description": "true: report what would change, change nothing"}
    )


class DeadlineChangeSchema(Schema):
    id = fields.Integer(
        allow_none=True, metadata={"description": "None for a deadline a dry run would add"}
    )
    key = fields.String()
    title = fields.String()
    due_at = fields.DateTime()


class StateMappingSchema(Schema):
    from_ = fields.String(attribute="from", data_key="from")
    to = fields.String(allow_none=True, metadata={"description": "None when unmappable"})
    mapped_by = fields.String(allow_none=True, metadata={"description": "same_name or map"})


class DeadlineChangesSchema(Schema):
    added = fields.List(fields.Nested(DeadlineChangeSchema))
    dropped = fields.List(
        fields.Nested(DeadlineChangeSchema),
        metadata={"description": "Open deadlines the new version no longer sets: superseded"},
    )
    kept = fields.List(fields.Nested(DeadlineChangeSchema))


class SignoffWithdrawalSchema(Schema):
    id = fields.Integer()
    trigger = fields.String()
    reason = fields.String()


class SignoffChangesSchema(Schema):
    withdrawn = fields.List(
        fields.Nested(SignoffWithdrawalSchema),
        metadata={"description": "Pending sign-offs the new version cannot complete"},
    )
    kept = fields.List(fields.Integer(), metadata={"description": "ids still pending"})


class ProjectMigrationSchema(Schema):
    project_id = fields.Integer()
    reference = fields.String()
    from_version = fields.String()
    to_version = fields.String()
    outcome = fields.String(metadata={"description": "would_migrate, migrated or refused"})
    reasons = fields.List(fields.String(), metadata={"description": "Why it was refused"})
    state = fields.Nested(StateMappingSchema)
    deadlines = fields.Nested(DeadlineChangesSchema)
    signoffs = fields.Nested(SignoffChangesSchema)


class MigrationSummarySchema(Schema):
    selected = fields.Integer()
    would_migrate = fields.Integer(metadata={"description": "dry run"})
    migrated = fields.Integer(metadata={"description": "applied run"})
    refused = fields.Integer()


class MigrationReportSchema(Schema):
    workflow = fields.String()
    to_version = fields.String()
    dry_run = fields.Boolean()
    map = fields.Dict(keys=fields.String(), values=fields.String())
    projects = fields.List(fields.Nested(ProjectMigrationSchema))
    already_current = fields.List(
        fields.Integer(), metadata={"description": "Projects named that already run to_version"}
    )
    summary = fields.Nested(MigrationSummarySchema)
