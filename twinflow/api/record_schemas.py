"""Input and output schemas of the implementation records: results and indicators, activities,
team, reports, side letters and addenda, steering committee meetings and documents.

As in schemas.py, inputs check shape and type only; the operations judge the values (dates in
order, an RTA's secondment, who may act), so the API and the pages give the same answers.
"""

from datetime import date

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.datastructures import FileStorage

from twinflow.activities.models import ACTIVITY_KINDS, ACTIVITY_STATUSES
from twinflow.api import vocabularies
from twinflow.api.fields import (
    DAY_PATTERN,
    MAX_ID,
    MAX_TEXT,
    Country,
    DecimalString,
    LongText,
    NumberDecimal,
    Text,
    Vocabulary,
)
from twinflow.api.schemas import DeadlineSchema
from twinflow.changes.models import CHANGE_KINDS
from twinflow.documents.models import DOCUMENT_CATEGORIES
from twinflow.records.validation import MAX_EUR as VALUES_MAX_EUR
from twinflow.records.validation import MAX_FIGURE as VALUES_MAX_FIGURE
from twinflow.reports.models import REPORT_KINDS
from twinflow.team.models import TEAM_ROLES

# The operations' limits (what the columns hold), so the API documents the same bounds.
MAX_FIGURE = int(VALUES_MAX_FIGURE)
MAX_EUR = int(VALUES_MAX_EUR)
# Outside these, date arithmetic (quarters, secondments) means nothing and could overflow.
DAYS = validate.Range(min=date(1900, 1, 1), max=date(2200, 12, 31), error="must be 1900-2200")


def Day(**kwargs) -> fields.Date:  # noqa: N802
    metadata = {"pattern": DAY_PATTERN} | kwargs.pop("metadata", {})
    return fields.Date(validate=DAYS, metadata=metadata, **kwargs)


def Title(**kwargs) -> Text:  # noqa: N802
    return Text(validate=validate.Length(min=1, max=300), **kwargs)


def Names(**kwargs) -> fields.List:  # noqa: N802
    return fields.List(
        Text(validate=validate.Length(max=200)), validate=validate.Length(max=50), **kwargs
    )


# -- inputs --------------------------------------------------------------------------------


class ComponentCreateSchema(Schema):
    title = Title(required=True)
    description = LongText(validate=validate.Length(max=5000))


class ResultCreateSchema(ComponentCreateSchema):
    pass


class IndicatorCreateSchema(Schema):
    name = Title(required=True)
    unit = Text(validate=validate.Length(max=60))
    baseline = NumberDecimal(required=True, low=-MAX_FIGURE, high=MAX_FIGURE)
    target = NumberDecimal(required=True, low=-MAX_FIGURE, high=MAX_FIGURE)


class IndicatorValueSchema(Schema):
    reached = NumberDecimal(
        required=True,
        low=-MAX_FIGURE,
        high=MAX_FIGURE,
        metadata={
            "description": "The value the indicator has reached now; negative only for an "
            "indicator whose baseline or target is negative (422 otherwise)"
        },
    )


class ActivityUpdateSchema(Schema):
    kind = Text(validate=validate.OneOf(ACTIVITY_KINDS))
    title = Title()
    component_id = fields.Integer(
        strict=True, allow_none=True, validate=validate.Range(min=1, max=MAX_ID)
    )
    planned_start = Day()
    planned_end = Day()
    actual_start = Day(allow_none=True)
    actual_end = Day(allow_none=True)
    experts = Names()
    participants = fields.Integer(strict=True, validate=validate.Range(min=0, max=1_000_000))
    status = Text(validate=validate.OneOf(ACTIVITY_STATUSES))


class ActivityCreateSchema(ActivityUpdateSchema):
    kind = Text(required=True, validate=validate.OneOf(ACTIVITY_KINDS))
    title = Title(required=True)
    planned_start = Day(required=True)
    planned_end = Day(required=True)


class TeamMemberCreateSchema(Schema):
    role = Text(required=True, validate=validate.OneOf(TEAM_ROLES))
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    organisation = Text(validate=validate.Length(max=200))
    country = Country()
    email = Text(validate=validate.Length(max=254))
    secondment_start = Day(allow_none=True, metadata={"description": "RTA only"})
    secondment_end = Day(allow_none=True, metadata={"description": "RTA only, inclusive"})
    starts_on = Day(allow_none=True, metadata={"description": "In the role from (inclusive)"})
    deputy_name = Text(validate=validate.Length(max=200))
    deputy_email = Text(
        validate=validate.Length(max=254),
        metadata={"description": "A user account who may sign in the member's place"},
    )


class ReportCreateSchema(Schema):
    kind = Text(required=True, validate=validate.OneOf(REPORT_KINDS))
    number = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=200),
        metadata={"description": "The quarter of an interim report"},
    )
    title = Title()
    summary = LongText(validate=validate.Length(max=MAX_TEXT))


class ReportUpdateSchema(Schema):
    title = Title()
    summary = LongText(validate=validate.Length(max=MAX_TEXT))


class RecordStepRequestSchema(Schema):
    trigger = Text(
        required=True,
        validate=Vocabulary(vocabularies.record_triggers, what="step"),
        metadata={"description": "A step of the record's workflow: submit, approve, return ..."},
    )
    comment = LongText(load_default=None, validate=validate.Length(max=MAX_TEXT))


class NewMemberSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    email = Text(validate=validate.Length(max=254))
    organisation = Text(validate=validate.Length(max=200))
    effective_on = Day(required=True, metadata={"description": "Takes the role on this day"})


class NewRtaSchema(NewMemberSchema):
    secondment_start = Day(required=True)
    secondment_end = Day(required=True, metadata={"description": "Inclusive"})


class ChangeFiguresSchema(Schema):
    extend_months = fields.Integer(strict=True, validate=validate.Range(min=-1200, max=1200))
    budget_eur = NumberDecimal(low=-MAX_EUR, high=MAX_EUR)
    reallocation_eur = NumberDecimal(low=-MAX_EUR, high=MAX_EUR)
    ms_project_leader = fields.Nested(
        NewMemberSchema, metadata={"description": "Side letter: a new MS project leader"}
    )
    bc_project_leader = fields.Nested(
        NewMemberSchema, metadata={"description": "Side letter: a new beneficiary project leader"}
    )
    rta = fields.Nested(NewRtaSchema, metadata={"description": "Addendum: a new RTA"})
    rta_secondment_end = Day(metadata={"description": "Addendum: the RTA's secondment extended"})
    rta_not_extended_because = LongText(validate=validate.Length(min=1, max=2000))


class ChangeUpdateSchema(Schema):
    title = Title()
    justification = LongText(validate=validate.Length(min=1, max=MAX_TEXT))
    changes = fields.Nested(
        ChangeFiguresSchema,
        metadata={
            "description": "The figures to change: a side letter may reallocate within its "
            "limit; an addendum may extend the months or change the budget"
        },
    )


class ChangeCreateSchema(ChangeUpdateSchema):
    kind = Text(required=True, validate=validate.OneOf(CHANGE_KINDS))
    title = Title(required=True)
    justification = LongText(required=True, validate=validate.Length(min=1, max=MAX_TEXT))


class MeetingCreateSchema(Schema):
    held_on = Day(required=True)
    attendees = Names(required=True)
    minutes = LongText(validate=validate.Length(max=50_000))


class FileUpload(Upload):
    """A file part of a multipart body; a plain text part under the same name is refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, FileStorage):
            raise ValidationError("must be a file (a multipart part with a filename)")
        return value


class DocumentUploadSchema(Schema):
    file = FileUpload(required=True)
    category = Text(required=True, validate=validate.OneOf(DOCUMENT_CATEGORIES))
    # Form values arrive as text, hence not strict.
    report_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    change_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    meeting_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))


class ChangeListArgsSchema(Schema):
    kind = Text(validate=validate.OneOf(CHANGE_KINDS))


# -- outputs -------------------------------------------------------------------------------


class IndicatorSchema(Schema):
    id = fields.Integer()
    result_id = fields.Integer()
    name = fields.String()
    unit = fields.String()
    baseline = DecimalString()
    target = DecimalString()
    reached = DecimalString(allow_none=True)
    reached_at = fields.DateTime(allow_none=True)
    percent = fields.Integer(
        allow_none=True, metadata={"description": "0-100 of the way from baseline to target"}
    )


class ResultSchema(Schema):
    id = fields.Integer()
    component_id = fields.Integer()
    number = fields.Integer()
    title = fields.String()
    description = fields.String()
    indicators = fields.List(fields.Nested(IndicatorSchema))


class ComponentSchema(Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    number = fields.Integer()
    title = fields.String()
    description = fields.String()
    results = fields.List(fields.Nested(ResultSchema))


class ProgressSchema(Schema):
    project_id = fields.Integer()
    percent = fields.Integer(
        allow_none=True, metadata={"description": "Mean of the indicators with a value reached"}
    )
    reports_approved = fields.Integer()
    reports = fields.Integer(metadata={"description": "Reports drafted so far"})
    activities_by_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    overdue = fields.List(fields.Nested(DeadlineSchema))
    components = fields.List(fields.Nested(ComponentSchema))


class ActivitySchema(Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    component_id = fields.Integer(allow_none=True)
    kind = fields.String()
    title = fields.String()
    planned_start = fields.Date()
    planned_end = fields.Date()
    actual_start = fields.Date(allow_none=True)
    actual_end = fields.Date(allow_none=True)
    experts = fields.List(fields.String())
    participants = fields.Integer(allow_none=True)
    status = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class TeamMemberSchema(Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    role = fields.String()
    name = fields.String()
    organisation = fields.String()
    country = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    secondment_start = fields.Date(allow_none=True)
    secondment_end = fields.Date(allow_none=True)
    user_id = fields.Integer(allow_none=True)
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    deputy_name = fields.String(allow_none=True)
    deputy_user_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class RecordStepSchema(Schema):
    trigger = fields.String()
    label = fields.String()
    available = fields.Boolean()
    blocked_by = fields.String(allow_none=True)
    comment_required = fields.Boolean()
    signed = fields.List(fields.String(), metadata={"description": "co-signed steps: signed by"})
    owed = fields.List(fields.String(), metadata={"description": "co-signed steps: still owed"})


class RecordSchema(Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    number = fields.Integer()
    title = fields.String()
    state = fields.String()
    state_label = fields.String()
    signing_round = fields.Integer()
    author_id = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decided_by_id = fields.Integer(allow_none=True)
    decision_comment = fields.String(allow_none=True)
    your_steps = fields.List(
        fields.Nested(RecordStepSchema),
        metadata={"description": "Steps you take part in from the current state"},
    )


class ReportSchema(RecordSchema):
    kind = fields.String(metadata={"description": "interim or final"})
    period_start = fields.DateTime()
    period_end = fields.DateTime()
    summary = fields.String()


class ChangeSchema(RecordSchema):
    kind = fields.String(metadata={"description": "side_letter or addendum"})
    justification = fields.String()
    changes = fields.Dict()
    applied = fields.Dict(
        allow_none=True, metadata={"description": "What the approval changed: {from, to}"}
    )


class ReportStepResultSchema(Schema):
    applied = fields.Boolean(required=True)
    owed = fields.List(fields.String(), metadata={"description": "Signatures still needed"})
    report = fields.Nested(ReportSchema, required=True)


class ChangeStepResultSchema(Schema):
    applied = fields.Boolean(required=True)
    owed = fields.List(fields.String(), metadata={"description": "Signatures still needed"})
    change = fields.Nested(ChangeSchema, required=True)


class MeetingSchema(Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    held_on = fields.Date()
    quarter = fields.Integer()
    attendees = fields.List(fields.String())
    minutes = fields.String()
    recorded_by_id = fields.Integer()
    recorded_at = fields.DateTime()


class DocumentSchema(Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    category = fields.String()
    report_id = fields.Integer(allow_none=True)
    change_id = fields.Integer(allow_none=True)
    meeting_id = fields.Integer(allow_none=True)
    filename = fields.String()
    content_type = fields.String()
    size_bytes = fields.Integer()
    sha256 = fields.String()
    uploaded_by_id = fields.Integer()
    uploaded_at = fields.DateTime()
    download_url = fields.String()
