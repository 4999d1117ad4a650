"""The data a trigger declares is text from outside too (the API hands its `data` object to
the engine as it came): a string value is held to the same rule as every other input."""

from datetime import UTC, datetime

import pytest

from twinflow.workflow.data import parse_trigger_data
from twinflow.workflow.definition import DataField, TransitionSpec
from twinflow.workflow.errors import InvalidData

SPEC = TransitionSpec(
    trigger="note_partner",
    labels="Note the partner",
    sources=("selection",),
    dest="selection",
    allowed=("coordinator",),
    signoff=(),
    comment_required=False,
    guards=(),
    effects=(),
    data=(DataField("partner", "string", "Partner", True, False),),
)
NOW = datetime(2027, 1, 4, tzinfo=UTC)


@pytest.mark.parametrize("value", ["Bundes\x00amt", "Bundesamt\r\nBcc: x@evil.example"])
def test_a_declared_string_with_a_control_character_is_refused_naming_the_field(value):
    with pytest.raises(InvalidData) as refused:
        parse_trigger_data(SPEC, {"partner": value}, NOW)
    [reason] = refused.value.details["partner"]
    assert reason.startswith("must be one line without control characters")


def test_a_declared_string_of_plain_text_is_read_trimmed():
    assert parse_trigger_data(SPEC, {"partner": " Bundesamt "}, NOW) == {"partner": "Bundesamt"}
