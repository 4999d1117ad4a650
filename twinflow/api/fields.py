"""Field types that refuse what the database would choke on, so bad input is a 422, never a 500."""

from datetime import UTC
from decimal import Decimal

from marshmallow import ValidationError, fields, validate

from twinflow.text import control_problem
from twinflow.workflow.data import YEARS

# Ids are 32-bit in the schema; a larger number can name no row and would overflow the driver.
MAX_ID = 2_147_483_647
MAX_TEXT = 20_000


class Text(fields.String):
    """One line of text: no control characters but TAB, no lone surrogates (twinflow.text).
    Every string the API reads is a Text or a LongText, so none can break a header later."""

    multiline = False

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        problem = control_problem(text, multiline=self.multiline)
        if problem:
            raise ValidationError(problem)
        return text


class LongText(Text):
    """Text of several lines (a comment, a summary): CR, LF and TAB are allowed."""

    multiline = True


class NumberDecimal(fields.Decimal):
    """A JSON number read exactly as a Decimal; strings and booleans are refused as wrong types.
    Bounds go in the OpenAPI document as numbers (a Range validator would print them as text)."""

    def __init__(self, *, low: int, high: int, **kwargs):
        metadata = {"minimum": low, "maximum": high} | kwargs.pop("metadata", {})
        super().__init__(metadata=metadata, **kwargs)
        self.low, self.high = low, high

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise self.make_error("invalid")
        number = super()._deserialize(value, attr, data, **kwargs)
        if not self.low <= number <= self.high:
            raise ValidationError(f"must be between {self.low} and {self.high}")
        return number


class Moment(fields.AwareDateTime):
    """An ISO 8601 date-time with a time zone, in UTC, within the years every date of the app
    keeps to: outside them, converting or binding the value overflows (a 500, not a 422)."""

    default_error_messages = {
        "invalid": "is not an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z",
        "invalid_awareness": "needs a time zone, e.g. 2027-01-31T00:00:00Z (Z for UTC)",
    }

    def __init__(self, **kwargs):
        super().__init__(default_timezone=None, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not YEARS[0] <= moment.year <= YEARS[1]:
            raise ValidationError(f"must be between the years {YEARS[0]} and {YEARS[1]}")
        return moment.astimezone(UTC)


class DecimalString(fields.Decimal):
    """Money out as an exact decimal string, e.g. "1500000.00"."""

    def __init__(self, **kwargs):
        super().__init__(places=2, as_string=True, **kwargs)


def nonblank(value: str) -> None:
    if not value.strip():
        raise ValidationError("must not be blank")


def Country(**kwargs) -> Text:  # noqa: N802
    """A country code of the reference data (an enum in the document)."""
    from twinflow.api import vocabularies

    return Text(
        validate=Vocabulary(
            vocabularies.countries,
            error="is not a country code of the reference data (e.g. GE, FR, EL)",
        ),
        **kwargs,
    )


class Vocabulary(validate.OneOf):
    """OneOf whose choices come from the running app (the lifecycles, the reference data):
    read when the OpenAPI document is built (an `enum`) and when a value is checked, so the
    document and the server name the same values. `source` is called inside the app."""

    def __init__(self, source, *, what: str | None = None, error: str | None = None):
        self.source = source
        self.labels = []
        self.labels_text = ""
        named = f"is not a {what}; the {what}s are: {{choices}}" if what else None
        self.error = error or named or "must be one of: {choices}"

    @property
    def choices(self) -> list[str]:
        return list(self.source())

    @property
    def choices_text(self) -> str:
        return ", ".join(self.choices)

    def _repr_args(self) -> str:
        return f"source={self.source!r}"
