"""Projects are pinned to the definition version they started with."""

import shutil
from pathlib import Path

import pytest

from tests.factories import Cast
from twinflow.workflow.engine import Engine
from twinflow.workflow.errors import InvalidData
from twinflow.workflow.registry import WorkflowRegistry

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"


def test_editing_a_definition_never_changes_a_running_project(make, session, clock, tmp_path):
    cast = Cast(make)
    cast.to("fiche_review")
    old_version = cast.project.workflow_version

    # A new edition renames the trigger the running project needs next.
    edited = tmp_path / "workflows"
    edited.mkdir()
    shutil.copy(WORKFLOWS / "twinning_light.yaml", edited)
    text = (
        (WORKFLOWS / "twinning.yaml")
        .read_text()
        .replace("trigger: approve_fiche", "trigger: endorse_fiche")
    )
    (edited / "twinning.yaml").write_text(text)
    new_engine = Engine(WorkflowRegistry(edited), clock)
    assert new_engine.registry.current("twinning").version != old_version

    # The running project still follows its pinned edition (loaded from the database) ...
    new_engine.fire(session, cast.coordinator, cast.project.id, "approve_fiche")
    assert cast.project.state == "call_open"
    assert cast.project.workflow_version == old_version

    # ... while a new project gets the new edition.
    make.engine = new_engine
    fresh = make.project(cast.beneficiary)
    assert fresh.workflow_version == new_engine.registry.current("twinning").version
    make.fire(cast.beneficiary, fresh, "submit_fiche")
    with pytest.raises(InvalidData):
        make.fire(cast.coordinator, fresh, "approve_fiche")
    make.fire(cast.coordinator, fresh, "endorse_fiche")
    assert fresh.state == "call_open"
