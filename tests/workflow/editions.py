"""New editions of the twinning definition for tests, stored as texts like past editions."""

from pathlib import Path

from twinflow.workflow.definition import load_text, version_of
from twinflow.workflow.models import WorkflowVersion

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
TWINNING = (WORKFLOWS / "twinning.yaml").read_text()

# The selection meeting is no longer a deadline, a published shortlist is; choosing the
# partner now needs the Member States' agreement too.
SHORTLIST = {
    "      - key: selection_meeting\n"
    "        title: {en: Selection meeting, fr: Réunion de sélection}\n"
    "        after: P2W\n": (
        "      - key: shortlist_published\n        title: Shortlist published\n        after: P1W\n"
    ),
    "signoff: [beneficiary, coordinator]\n": (
        "signoff: [beneficiary, coordinator, member_state]\n"
    ),
}
# The work plan state is renamed.
RENAMED = {
    "name: work_plan\n": "name: work_planning\n",
    "dest: work_plan\n": "dest: work_planning\n",
    "source: work_plan\n": "source: work_planning\n",
    "source: [selection, work_plan, contracting]\n": (
        "source: [selection, work_planning, contracting]\n"
    ),
    # suspend leaves work_plan too
    "source: [call_open, selection, work_plan,": "source: [call_open, selection, work_planning,",
    "source: [work_plan, contracting]\n": "source: [work_planning, contracting]\n",
}


def edition(session, edits: dict[str, str]) -> str:
    """A new version of the twinning definition, stored as a text (as a past edition is)."""
    text = TWINNING
    for old, new in edits.items():
        assert old in text, old
        text = text.replace(old, new)
    definition = load_text(text, source="test edition")
    session.add(WorkflowVersion(version=definition.version, name="twinning", source=text))
    session.commit()
    return definition.version


# Implementation is renamed execution (suspension and resumption stay).
EXECUTION = {
    "name: implementation\n": "name: execution\n",
    "dest: implementation\n": "dest: execution\n",
    "source: implementation\n": "source: execution\n",
    "contracting, implementation]\n": "contracting, execution]\n",
}


def retired_edition(session) -> str:
    """A stored edition that no longer loads: it names a guard the code has since dropped."""
    text = TWINNING.replace("guards: [proposal_deadline_passed, has_proposals]", "guards: [gone]")
    assert text != TWINNING
    version = version_of(text)
    session.add(WorkflowVersion(version=version, name="twinning", source=text))
    session.commit()
    return version
