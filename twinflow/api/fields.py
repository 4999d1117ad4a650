"""Field types that refuse what the database would choke on, so bad input is a 422, never a 500."""

import re
from datetime import UTC
from decimal import Decimal

from marshmallow import ValidationError, fields, validate

from twinflow.text import control_problem
from twinflow.workflow.data import YEARS

# Ids are 32-bit in the schema; a larger number can name no row and would overflow the driver.
MAX_ID = 2_147_483_647
MAX_TEXT = 20_000


# twinflow.text's rule as a pattern for the document, so that generated clients (and the
# fuzzer) know a control character is refused: single-line text keeps TAB only. (Lone
# surrogates, refused too, are no text a JSON encoder writes; regex engines of other languages
# refuse them in a pattern, so the pattern leaves them out.)
_SINGLE = r"\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029"
_MULTI = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Python's str.strip() whitespace, that `nonblank` strips.
_SPACE = r"\s\x1c-\x1f\x85"


def text_pattern(multiline: bool, blank_allowed: bool = True) -> str:
    refused = _MULTI if multiline else _SINGLE
    if blank_allowed:
        return f"^[^{refused}]*$"
    return f"^[^{refused}]*[^{refused}{_SPACE}][^{refused}]*$"


# Days and moments within YEARS, as patterns: OpenAPI has no bounds for dates. February 29th
# only in leap years (1900, 2100 and 2200 are none).
_YEAR = r"(19\d\d|2[01]\d\d|2200)"
_MONTH_DAY = r"((0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)"
_LEAP_DAY = r"(((19|20|21)(0[48]|[2468][048]|[13579][26])|2000)-02-29)"
DAY = rf"({_YEAR}-{_MONTH_DAY}|{_LEAP_DAY})"
DAY_PATTERN = rf"^{DAY}$"
MOMENT_PATTERN = (
    rf"^{DAY}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{{1,6}})?)?(Z|[+-](0\d|1[0-3]):[0-5]\d)$"
)


class Text(fields.String):
    """One line of text: no control characters but TAB, no lone surrogates (twinflow.text).
    Every string the API reads is a Text or a LongText, so none can break a header later."""

    multiline = False

    def __init__(self, **kwargs):
        validators = kwargs.get("validate") or []
        validators = validators if isinstance(validators, list | tuple) else [validators]
        metadata = kwargs.pop("metadata", {})
        if not any(isinstance(v, validate.OneOf) for v in validators):
            pattern = text_pattern(self.multiline, blank_allowed=nonblank not in validators)
            metadata = {"pattern": pattern} | metadata
        super().__init__(metadata=metadata, **kwargs)

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
        metadata = {"pattern": MOMENT_PATTERN} | kwargs.pop("metadata", {})
        super().__init__(default_timezone=None, metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not YEARS[0] <= moment.year <= YEARS[1]:
            raise ValidationError(f"must be between the years {YEARS[0]} and {YEARS[1]}")
        return moment.astimezone(UTC)


class DecimalString(fields.Decimal):
    """Money out as an exact decimal string, e.g. "1500000.00"."""

    def __init__(self, **kwargs):
        super().__init__(places=2, as_string=True, **kwargs)


# Search ignores spacing and punctuation, so a reference must keep something to search by;
# the pattern states it in the document beside the single-line rule.
LETTER_OR_DIGIT = r"[^\W_]"
LETTER_OR_DIGIT_LINE = rf"^[^{_SINGLE}]*{LETTER_OR_DIGIT}[^{_SINGLE}]*$"


def has_letter_or_digit(value: str) -> None:
    if not re.search(LETTER_OR_DIGIT, value):
        raise ValidationError("must contain a letter or a digit")


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
