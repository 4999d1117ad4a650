"""The one rule for text from outside (twinflow.text), which every adapter applies."""

import pytest

from twinflow.text import control_problem, one_line, shown

REFUSED_EVERYWHERE = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f"]
LINE_BREAKS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x0b", "\x0c"]


@pytest.mark.parametrize("char", REFUSED_EVERYWHERE + LINE_BREAKS, ids=ascii)
def test_a_single_line_value_refuses_every_control_character_and_line_break(char):
    problem = control_problem(f"Prison{char}reform")
    assert problem is not None
    assert "at character 7" in problem and f"U+{ord(char[0]):04X}" in problem


@pytest.mark.parametrize("char", REFUSED_EVERYWHERE, ids=ascii)
def test_a_multi_line_value_still_refuses_nul_and_the_other_controls(char):
    assert f"U+{ord(char):04X}" in control_problem(f"First line\n{char}", multiline=True)


def test_a_multi_line_value_keeps_its_line_breaks_and_tabs():
    assert control_problem("Agreed.\r\n\tSee the annex.\nThanks", multiline=True) is None


def test_tabs_and_ordinary_unicode_are_fine_on_one_line():
    assert control_problem("Reform\tof the Ministère — 2027 «A»") is None


def test_the_refusal_names_the_character_in_words():
    assert control_problem("a\x00") == (
        "must be one line without control characters: found NUL (U+0000) at character 2"
    )
    assert "line feed (U+000A)" in control_problem("a\nb")


def test_a_lone_surrogate_is_not_text():
    assert control_problem("a\ud800b", multiline=True) == "is not valid Unicode text"


def test_a_stored_value_becomes_one_header_line_without_the_injected_header():
    assert one_line("Prison reform\r\nBcc: leak@evil.example") == (
        "Prison reform Bcc: leak@evil.example"
    )
    assert one_line("  A \x00\t title\u2028 ") == "A title"
    assert one_line("Nothing to do") == "Nothing to do"


def test_control_characters_are_shown_as_their_code_points():
    assert shown("q\x00\n") == "q[U+0000][U+000A]"
