"""The record workflow files: one schema and one registry with the lifecycles, never mistaken
for one."""

import shutil

import pytest

from twinflow import create_app
from twinflow.workflow.definition import load_text
from twinflow.workflow.errors import DefinitionError
from twinflow.workflow.registry import DEFAULT_DIR

VALID = """
kind: record
name: memo
title: Memo
roles: [beneficiary, lead_member_state, coordinator]
drafted_by: [beneficiary]
project_states: [implementation]
initial: draft
states:
  - {name: draft}
  - {name: done, terminal: true}
transitions:
  - {trigger: finish, source: draft, dest: done, signatures: [beneficiary, lead_member_state]}
"""


def test_the_shipped_record_workflows_load_and_stay_out_of_the_project_registry(registry):
    assert registry.record_types() == ["addendum", "report", "review_mission", "side_letter"]
    assert registry.names() == ["twinning", "twinning_light"]
    assert {registry.record(t).kind for t in registry.record_types()} == {"record"}


def test_a_valid_record_workflow_loads():
    workflow = load_text(VALID)
    assert (workflow.kind, workflow.record_type) == ("record", "memo")
    assert workflow.transition("finish", "draft").signoff == ("beneficiary", "lead_member_state")


def test_a_sign_off_by_any_n_of_the_listed_parties_loads():
    text = VALID.replace(
        "signatures: [beneficiary, lead_member_state]",
        "signoff: {parties: [beneficiary, lead_member_state, coordinator], needs: 2}",
    )
    spec = load_text(text).transition("finish", "draft")
    assert (spec.signoff, spec.needs) == (("beneficiary", "lead_member_state", "coordinator"), 2)


@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        (("kind: record", "kind: lifecycle"), "kind", "must be one of: project, record"),
        (("dest: done", "dest: gone"), "transitions[0].dest", "unknown state 'gone'"),
        (
            ("signatures: [beneficiary, lead_member_state]", "signatures: [beneficiary]"),
            "transitions[0].signatures",
            "needs at least two distinct parties",
        ),
        (
            ("signatures: [beneficiary, lead_member_state]", "signoff: {parties: [beneficiary]}"),
            "transitions[0].signoff",
            "needs at least two distinct parties",
        ),
        (
            (
                "signatures: [beneficiary, lead_member_state]",
                "signoff: {parties: [beneficiary, lead_member_state], needs: 3}",
            ),
            "transitions[0].signoff.needs",
            "more than the 2 parties listed",
        ),
        (("initial: draft", "initial: draft\neditable: [drafting]"), "editable[0]", "unknown"),
        (
            ("signatures: [beneficiary, lead_member_state]", "signoff: {person: the_boss}"),
            "transitions[0].signoff.person",
            "unknown person 'the_boss'",
        ),
        (("drafted_by: [beneficiary]", "drafted_by: [auditor]"), "drafted_by[0]", "not defined"),
        (("{name: draft}", "{name: draft, colour: red}"), "states[0].colour", "unknown field"),
        (
            ("dest: done,", "dest: done, effects: [launch],"),
            "transitions[0].effects[0]",
            "unknown effect 'launch'",
        ),
    ],
)
def test_a_broken_record_workflow_names_the_place_and_the_reason(change, path, reason):
    with pytest.raises(DefinitionError) as refused:
        load_text(VALID.replace(*change), source="memo.yaml")
    assert any(p == path and reason in r for p, r in refused.value.problems), refused.value.problems


def test_a_broken_record_workflow_file_stops_start_up_naming_the_file_the_path_and_the_reason(
    tmp_path, db_url
):
    folder = tmp_path / "workflows"
    shutil.copytree(DEFAULT_DIR, folder)
    report = folder / "records" / "report.yaml"
    report.write_text(report.read_text().replace("dest: approved", "dest: aproved"))
    with pytest.raises(DefinitionError) as refused:
        create_app("testing", SQLALCHEMY_DATABASE_URI=db_url, WORKFLOWS_DIR=str(folder))
    assert f"{report}: transitions[1].dest: unknown state 'aproved'" in str(refused.value)
