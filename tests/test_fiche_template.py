"""The fiche's section template is data, checked when it is read: a broken file names the
place inside it and the reason."""

import pytest

from twinflow.fiche.diff import words_diff
from twinflow.fiche.forms import outline, parse_outline
from twinflow.fiche.sections import DEFAULT_FILE, load_template
from twinflow.workflow.errors import DefinitionError


def test_the_shipped_template_has_the_standard_fiche_sections():
    template = load_template(DEFAULT_FILE)
    assert len(template.keys) == 13
    assert template.section("components").kind == "components"
    assert template.editable_states == ("fiche_drafting",)
    assert template.particulars_states == ("fiche_drafting", "fiche_review")


def test_a_broken_template_stops_start_up_naming_each_problem(tmp_path):
    broken = tmp_path / "sections.yaml"
    broken.write_text(
        "editable_states: [fiche_drafting]\n"
        "particulars_states: [fiche_drafting]\n"
        "sections:\n"
        "  - {key: context, title: Context, kind: text, max_length: 10}\n"
        "  - {key: context, title: Again, kind: table, max_length: 10}\n"
    )
    with pytest.raises(DefinitionError) as refused:
        load_template(broken)
    message = str(refused.value)
    assert str(broken) in message
    assert "sections.1.kind" in message and "Must be one of: text, components" in message


def test_a_template_with_a_section_twice_is_refused(tmp_path):
    twice = tmp_path / "sections.yaml"
    twice.write_text(
        "editable_states: [fiche_drafting]\n"
        "particulars_states: [fiche_drafting]\n"
        "sections:\n"
        "  - {key: context, title: Context, kind: text, max_length: 10}\n"
        "  - {key: context, title: Again, kind: text, max_length: 10}\n"
    )
    with pytest.raises(DefinitionError, match="section keys must be unique: context"):
        load_template(twice)


def test_the_components_outline_reads_back_what_it_writes():
    components = [
        {"title": "Probation", "results": [{"title": "A service", "indicators": ["20 trained"]}]},
        {"title": "Training", "results": []},
    ]
    assert parse_outline(outline(components)) == (components, None)
    assert parse_outline("- orphan result") == ([], "line 1: a result must follow a component")


def test_a_rewritten_phrase_reads_as_one_deletion_and_one_insertion():
    assert words_diff("Better water quality.", "Good water for all.") == [
        ("removed", "Better water quality."),
        ("added", "Good water for all."),
    ]
    assert words_diff("Safer prisons by 2030.", "Safer prisons by 2028.") == [
        ("same", "Safer prisons by "),
        ("removed", "2030."),
        ("added", "2028."),
    ]
