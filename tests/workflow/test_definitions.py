"""Lifecycle definitions are validated at start-up; each mistake is named precisely."""

import copy
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from twinflow.workflow.definition import load_file, load_text
from twinflow.workflow.errors import DefinitionError
from twinflow.workflow.registry import WorkflowRegistry

GOOD = Path(__file__).resolve().parents[2] / "workflows" / "twinning.yaml"


def _good() -> dict:
    return yaml.safe_load(GOOD.read_text())


def _transition(d, trigger):
    return next(t for t in d["transitions"] if t["trigger"] == trigger)


def _state(d, name):
    return next(s for s in d["states"] if s["name"] == name)


def _mutations():
    """(kind, mutate(d), expected message fragment) - at least one per kind of mistake."""

    def unknown_dest(d):
        _transition(d, "submit_fiche")["dest"] = "fiche_reveiw"

    def unknown_source(d):
        _transition(d, "close_call")["source"] = "call_opened"

    def unreachable(d):
        d["states"].append({"name": "archived", "terminal": True})

    def unknown_guard(d):
        _transition(d, "close_call")["guards"] = ["deadline_passed"]

    def undefined_role(d):
        _transition(d, "submit_fiche")["allowed"] = ["beneficary"]

    def duplicate_trigger(d):
        d["transitions"].append(copy.deepcopy(_transition(d, "submit_fiche")))

    def duplicate_state(d):
        d["states"].append(copy.deepcopy(_state(d, "selection")))

    def initial_unknown(d):
        d["initial"] = "drafting"

    def dead_end(d):
        d["transitions"] = [t for t in d["transitions"] if t["trigger"] not in ("resume", "cancel")]

    def endorsed_by_unknown_role(d):
        _transition(d, "sign_contract")["endorsement"] = {"by": "ambassador", "under": ["indirect"]}

    def endorsed_under_unknown_mode(d):
        _transition(d, "sign_contract")["endorsement"] = {"by": "delegation", "under": ["joint"]}

    def bad_duration(d):
        _state(d, "selection")["deadlines"][0]["after"] = "two weeks"

    def unknown_field(d):
        _transition(d, "submit_fiche")["who"] = ["beneficiary"]

    def missing_required(d):
        del _transition(d, "submit_fiche")["dest"]

    def unknown_role_kind(d):
        d["roles"].append("auditor")

    def leaving_terminal(d):
        d["transitions"].append(
            {
                "trigger": "reopen",
                "source": "closed",
                "dest": "implementation",
                "allowed": ["coordinator"],
            }
        )

    def lone_approval(d):
        _transition(d, "select_partner")["signoff"] = ["beneficiary"]

    def unknown_effect(d):
        _transition(d, "approve_fiche")["effects"] = ["open_the_call"]

    def notify_unknown_role(d):
        _state(d, "call_open")["deadlines"][0]["notify"] = ["everyone"]

    def nobody_may_fire(d):
        del _transition(d, "end_implementation")["allowed"]

    def bad_name(d):
        _transition(d, "submit_fiche")["trigger"] = "Submit Fiche"

    return [
        (
            "unknown destination state",
            unknown_dest,
            "transitions[0].dest: unknown state 'fiche_reveiw'",
        ),
        (
            "unknown source state",
            unknown_source,
            "transitions[3].source: unknown state 'call_opened'",
        ),
        (
            "unreachable state",
            unreachable,
            "states[11]: state 'archived' is unreachable from 'fiche_drafting'",
        ),
        (
            "unknown guard",
            unknown_guard,
            "transitions[3].guards[0]: unknown guard 'deadline_passed'",
        ),
        (
            "role not defined",
            undefined_role,
            "transitions[0].allowed[0]: role 'beneficary' is not defined in roles",
        ),
        (
            "duplicate trigger",
            duplicate_trigger,
            "transitions[15].trigger: duplicate trigger 'submit_fiche' from state 'fiche_drafting'",
        ),
        ("duplicate state", duplicate_state, "states[11].name: duplicate state 'selection'"),
        ("unknown initial state", initial_unknown, "initial: unknown state 'drafting'"),
        ("dead end", dead_end, "states[7]: state 'suspended' is a dead end"),
        (
            "bad duration",
            bad_duration,
            "states[3].deadlines[0].after: 'two weeks' is not an ISO 8601 duration",
        ),
        ("unknown field", unknown_field, "transitions[0].who: unknown field"),
        ("missing field", missing_required, "transitions[0].dest: missing data for required field"),
        ("unknown role kind", unknown_role_kind, "roles[6]: unknown role 'auditor'"),
        (
            "leaving a terminal state",
            leaving_terminal,
            "transitions[15].source: 'closed' is terminal; nothing may leave it",
        ),
        (
            "approval by one party",
            lone_approval,
            "transitions[5].signoff: needs at least two distinct parties",
        ),
        (
            "unknown effect",
            unknown_effect,
            "transitions[2].effects[0]: unknown effect 'open_the_call'",
        ),
        (
            "deadline notifies an undefined role",
            notify_unknown_role,
            "states[2].deadlines[0].notify[0]: role 'everyone' is not defined in roles",
        ),
        ("nobody may fire", nobody_may_fire, "transitions[11]: names nobody who may fire it"),
        (
            "endorsement by an undefined role",
            endorsed_by_unknown_role,
            "transitions[8].endorsement.by: role 'ambassador' is not defined in roles",
        ),
        (
            "endorsement under an unknown management mode",
            endorsed_under_unknown_mode,
            "transitions[8].endorsement.under[0]: must be one of: direct, indirect",
        ),
        (
            "badly formed name",
            bad_name,
            "transitions[0].trigger: must be lower_snake_case, starting with a letter",
        ),
    ]


MUTATIONS = _mutations()


@pytest.mark.parametrize("kind,mutate,expected", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_a_broken_definition_is_refused_naming_the_file_the_path_and_the_reason(
    tmp_path, kind, mutate, expected
):
    data = _good()
    mutate(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(DefinitionError) as refused:
        load_file(path)
    assert f"{path}: {expected}" in str(refused.value)


def test_resume_goes_back_to_every_state_a_suspension_may_come_from():
    from twinflow.workflow.registry import machine_spec

    definition = load_file(GOOD)
    backs = sorted(
        t["dest"] for t in machine_spec(definition)["transitions"] if t["trigger"] == "resume"
    )
    assert backs == sorted(["call_open", "selection", "work_plan", "contracting", "implementation"])
    with pytest.raises(DefinitionError, match="'previous' is reserved"):
        data = _good()
        data["states"].append({"name": "previous", "terminal": True})
        load_text(yaml.safe_dump(data, sort_keys=False))


def test_the_corpus_covers_at_least_ten_kinds_of_mistakes():
    assert len({kind for kind, *_ in MUTATIONS}) >= 10


def test_yaml_syntax_errors_and_duplicate_keys_are_refused_with_their_line():
    with pytest.raises(DefinitionError) as syntax:
        load_text("name: twinning\nstates: [unclosed\n", source="x.yaml")
    assert "x.yaml: line 3, column 1: not valid YAML" in str(syntax.value)
    with pytest.raises(DefinitionError) as duplicate:
        load_text("name: a\nname: b\n", source="y.yaml")
    assert "y.yaml: line 2, column 1: not valid YAML: duplicate key 'name'" in str(duplicate.value)


def test_every_problem_of_a_file_is_listed_not_only_the_first(tmp_path):
    data = _good()
    _transition(data, "submit_fiche")["dest"] = "nowhere"
    _transition(data, "close_call")["guards"] = ["no_such_guard"]
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(DefinitionError) as refused:
        load_file(path)
    assert len(refused.value.problems) >= 2


def test_a_broken_file_in_the_workflows_folder_stops_start_up(tmp_path):
    data = _good()
    _transition(data, "submit_fiche")["dest"] = "nowhere"
    (tmp_path / "twinning.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(DefinitionError, match="unknown state 'nowhere'"):
        WorkflowRegistry(tmp_path)


def test_the_shipped_definitions_are_valid_and_versioned_by_content():
    a = load_file(GOOD)
    b = load_text(GOOD.read_text() + "\n# a comment\n")
    assert a.version != b.version
    assert load_file(GOOD).version == a.version


def test_workflows_check_reports_ok_or_every_problem_and_exits_1(tmp_path):
    from twinflow.cli import workflows_check

    runner = CliRunner()
    ok = runner.invoke(workflows_check, [str(GOOD)])
    assert ok.exit_code == 0 and "ok (twinning, version" in ok.output
    data = _good()
    _transition(data, "close_call")["guards"] = ["deadline_passed"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(workflows_check, [str(bad)])
    assert result.exit_code == 1
    assert "transitions[3].guards[0]: unknown guard 'deadline_passed'" in result.output
