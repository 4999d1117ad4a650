"""Schemas of imports (POST /imports: its arguments and report) and of corrections of an
imported record's particulars (PATCH /projects/<id>)."""

from marshmallow import Schema, fields, validate

from twinflow.api.fields import Country, LongText, NumberDecimal, Text, nonblank
from twinflow.api.schemas import PARTIAL_DATE, ProjectSchema


class ParticularsPatchSchema(Schema):
    """Corrections of a project's particulars; null empties a field. Each value is read as the
    import reads its column (docs/import.md)."""

    reason = LongText(
        validate=validate.Length(min=1, max=2000),
        metadata={"description": "Why: required for an imported record"},
    )
    reference = Text(validate=validate.Length(min=1, max=60))
    title = Text(validate=[validate.Length(max=300), nonblank])
    instrument = Text(allow_none=True, validate=validate.Length(max=40))
    beneficiary_country = Country()
    beneficiary_institution = Text(allow_none=True, validate=validate.Length(max=200))
    sector = Text(allow_none=True, validate=validate.Length(max=10))
    budget_eur = NumberDecimal(allow_none=True, allow_nan=False, low=0, high=999_999_999_999)
    implementation_months = fields.Integer(
        allow_none=True, strict=True, validate=validate.Range(min=1, max=600)
    )
    total_months = fields.Integer(
        allow_none=True, strict=True, validate=validate.Range(min=1, max=600)
    )
    start = Text(allow_none=True, validate=validate.Length(max=10), metadata=PARTIAL_DATE)
    end = Text(allow_none=True, validate=validate.Length(max=10), metadata=PARTIAL_DATE)
    lead_member_state = Country(allow_none=True)
    junior_member_states = fields.List(Country(), allow_none=True, validate=validate.Length(max=30))
    status_note = LongText(allow_none=True, validate=validate.Length(max=4000))
    source_url = Text(allow_none=True, validate=validate.Length(max=500))
    # Where the public page files the project (workflows/reference/priority_areas.yaml); a
    # coordinator sets these on any project, imported or live.
    priority_area = Text(allow_none=True, validate=validate.Length(max=40))
    subsector = Text(allow_none=True, validate=validate.Length(max=60))
    topic = Text(allow_none=True, validate=validate.Length(max=300))


class NoteSchema(Schema):
    row = fields.Integer(allow_none=True, metadata={"description": "null: the file as a whole"})
    column = fields.String()
    value = fields.String()
    reason = fields.String()


class ImportRowSchema(Schema):
    row = fields.Integer()
    status = fields.String(
        metadata={"description": "new, created, unchanged, differs, invalid or skipped"}
    )
    title = fields.String()
    reference = fields.String(allow_none=True)
    project_id = fields.Integer(allow_none=True)


class ImportReportSchema(Schema):
    file = fields.String()
    sha256 = fields.String()
    dry_run = fields.Boolean()
    skip_invalid = fields.Boolean()
    applied = fields.Boolean()
    summary = fields.String()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    rows = fields.List(fields.Nested(ImportRowSchema))
    errors = fields.List(fields.Nested(NoteSchema))
    warnings = fields.List(fields.Nested(NoteSchema))


class ImportArgsSchema(Schema):
    dry_run = fields.Boolean(load_default=False, metadata={"description": "judge, write nothing"})
    skip_invalid = fields.Boolean(
        load_default=False, metadata={"description": "import the valid rows, report the others"}
    )
    format = Text(
        validate=validate.OneOf(["csv", "xlsx"]),
        metadata={"description": "default: from the file name"},
    )


class CorrectionResultSchema(Schema):
    project = fields.Nested(ProjectSchema)
    changed = fields.Dict(
        metadata={"description": "{field: {before, after}} of what changed (audited)"}
    )
    warnings = fields.List(fields.Nested(NoteSchema))
