"""The marshmallow schemas of the reference data files (workflows/reference/*.yaml): shape and
types; the loader checks meaning (known codes, no duplicates) after them."""

from datetime import date

from marshmallow import ValidationError, fields, validate

from twinflow.workflow.labels import LabelField
from twinflow.workflow.schema import StrictSchema

CODE = validate.Regexp(r"^[A-Z][A-Z0-9 ]{0,9}$", error="must be 1 to 10 capitals or digits")
COUNTRY = validate.Regexp(r"^[A-Z]{2}$", error="must be a two-letter code in capitals")
SLUG = validate.Regexp(r"^[a-z][a-z0-9_]*$", error="must be lower_snake_case")


class Day(fields.Field):
    """A calendar day: YAML reads 2020-01-31 as a date already; a quoted one is parsed."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise ValidationError("must be a date written YYYY-MM-DD")


class InstrumentSchema(StrictSchema):
    code = fields.String(required=True, validate=CODE)
    title = LabelField(required=True, max_length=200, allow_empty=False)
    start = Day(data_key="from", load_default=None)
    until = Day(load_default=None)
    new_projects = fields.Boolean(load_default=False)
    aliases = fields.List(fields.String(validate=validate.Length(min=1, max=40)), load_default=list)


class InstrumentsFileSchema(StrictSchema):
    kind = fields.String(required=True, validate=validate.Equal("instruments"))
    instruments = fields.List(
        fields.Nested(InstrumentSchema), required=True, validate=validate.Length(min=1)
    )


class SectorSchema(StrictSchema):
    code = fields.String(
        required=True,
        validate=validate.Regexp(r"^[A-Z]{2,4}$", error="must be 2 to 4 capitals"),
    )
    label = LabelField(required=True, max_length=200, allow_empty=False)
    new_projects = fields.Boolean(load_default=False)


class SectorsFileSchema(StrictSchema):
    kind = fields.String(required=True, validate=validate.Equal("sectors"))
    sectors = fields.List(
        fields.Nested(SectorSchema), required=True, validate=validate.Length(min=1)
    )


class EuCodeSchema(StrictSchema):
    iso = fields.String(load_default=None, validate=COUNTRY)
    name = fields.String(load_default=None, validate=validate.Length(min=1, max=100))


class MemberStateSchema(StrictSchema):
    code = fields.String(required=True, validate=COUNTRY)
    start = Day(data_key="from", required=True)
    until = Day(load_default=None)


class BeneficiarySchema(StrictSchema):
    code = fields.String(required=True, validate=COUNTRY)
    region = fields.String(required=True, validate=validate.Length(min=1, max=100))
    until = Day(load_default=None)


class CountriesFileSchema(StrictSchema):
    kind = fields.String(required=True, validate=validate.Equal("countries"))
    eu_codes = fields.Dict(
        keys=fields.String(validate=COUNTRY), values=fields.Nested(EuCodeSchema), load_default=dict
    )
    aliases = fields.Dict(
        keys=fields.String(validate=COUNTRY),
        values=fields.String(validate=COUNTRY),
        load_default=dict,
    )
    names = fields.Dict(
        keys=fields.String(validate=COUNTRY),
        values=fields.String(validate=validate.Length(min=1, max=100)),
        load_default=dict,
    )
    member_states = fields.List(
        fields.Nested(MemberStateSchema), required=True, validate=validate.Length(min=1)
    )
    beneficiaries = fields.List(fields.Nested(BeneficiarySchema), load_default=list)


class SubsectorSchema(StrictSchema):
    code = fields.String(required=True, validate=SLUG)
    label = LabelField(required=True, max_length=200, allow_empty=False)


class PriorityAreaSchema(StrictSchema):
    code = fields.String(required=True, validate=SLUG)
    label = LabelField(required=True, max_length=200, allow_empty=False)
    start = Day(data_key="from", load_default=None)
    until = Day(load_default=None)
    subsectors = fields.List(fields.Nested(SubsectorSchema), load_default=list)


class PriorityAreasFileSchema(StrictSchema):
    kind = fields.String(required=True, validate=validate.Equal("priority_areas"))
    priority_areas = fields.List(fields.Nested(PriorityAreaSchema), required=True)
