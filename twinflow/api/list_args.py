"""The query arguments of the API's lists: paging, and the search, filters and order of the
project list (and its exports), the approvals and the audit trail."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from twinflow.api import vocabularies
from twinflow.api.fields import MAX_ID, Country, Moment, Text, Vocabulary
from twinflow.partial_dates import YEARS
from twinflow.projects.listing import DEFAULT_SORT


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ProjectListArgsSchema(PageArgsSchema):
    """Search, filters and order of GET /projects (and of its exports)."""

    q = Text(
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "Words each found in the reference (spacing and punctuation "
            "ignored: MD16ENIAG0119 finds MD 16 ENI AG 01 19), the title, the beneficiary or "
            "Member State institution, or a country's code or name"
        },
    )
    type = Text(
        validate=Vocabulary(vocabularies.types, what="type"),
        metadata={"description": "The project type (its lifecycle)"},
    )
    workflow = Text(
        validate=Vocabulary(vocabularies.types, what="workflow"),
        metadata={"description": "The same as type (kept for existing clients)"},
    )
    instrument = Text(validate=Vocabulary(vocabularies.instruments, what="instrument"))
    country = Country(metadata={"description": "The beneficiary country"})
    sector = Text(validate=Vocabulary(vocabularies.sectors, what="sector"))
    state = Text(
        validate=Vocabulary(vocabularies.states, what="state"),
        metadata={"description": "A state of the lifecycles (GET /workflows lists them)"},
    )
    member_state = Country(metadata={"description": "The lead or a junior Member State"})
    year_from = fields.Integer(
        validate=validate.Range(min=YEARS[0], max=YEARS[1]),
        metadata={"description": "Started in this year or later (a partial date by its year)"},
    )
    year_to = fields.Integer(
        validate=validate.Range(min=YEARS[0], max=YEARS[1]),
        metadata={"description": "Started in this year or earlier"},
    )
    sort = Text(
        load_default=DEFAULT_SORT,
        validate=Vocabulary(vocabularies.sorts),
        metadata={"description": "A key, descending with a leading minus; empty values last"},
    )


class ProjectExportArgsSchema(ProjectListArgsSchema):
    """The list's arguments (paging aside: an export holds every page) and the file type."""

    class Meta:
        exclude = ("page", "per_page")

    format = Text(load_default="csv", validate=validate.OneOf(["csv", "xlsx"]))


class ApprovalListArgsSchema(Schema):
    status = Text(
        load_default="pending",
        validate=validate.OneOf(["pending", "approved", "rejected", "withdrawn", "all"]),
    )


class AuditListArgsSchema(PageArgsSchema):
    actor = Text(
        validate=validate.Length(min=1, max=254), metadata={"description": "actor's e-mail"}
    )
    action = Text(validate=validate.Length(min=1, max=60))
    # Query values arrive as text, so not strict; bounded so no id overflows the driver.
    project = fields.Integer(
        validate=validate.Range(min=1, max=MAX_ID, error="is not a project id (1 to {max})"),
        error_messages={"invalid": "is not a project id (a whole number)"},
        metadata={"description": "project id"},
    )
    since = Moment(metadata={"description": "inclusive"})
    until = Moment(metadata={"description": "exclusive"})

    @validates_schema
    def _range(self, data: dict, **kwargs) -> None:
        if "since" in data and "until" in data and data["until"] <= data["since"]:
            raise ValidationError("must be later than since", "until")
