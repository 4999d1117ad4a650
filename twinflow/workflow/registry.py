"""Every definition version known to the process, project lifecycles (workflows/*.yaml) and
record workflows (workflows/records/*.yaml) alike, and one shared state machine per version."""

import threading
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from transitions import Machine

from twinflow.workflow.definition import Definition, load_file, load_text
from twinflow.workflow.errors import DefinitionError, NotFound
from twinflow.workflow.models import WorkflowVersion
from twinflow.workflow.schema import PREVIOUS

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "workflows"


class WorkflowRegistry:
    def __init__(self, directory: str | Path | None = None, records_directory=None):
        self.directory = Path(directory) if directory else DEFAULT_DIR
        # A directory of lifecycles without its own records/ drives the repository's records.
        records = Path(records_directory) if records_directory else self.directory / "records"
        self.records_directory = records if records.is_dir() else DEFAULT_DIR / "records"
        self._current: dict[str, Definition] = {}
        self._records: dict[str, Definition] = {}
        self._by_version: dict[str, Definition] = {}
        self._machines: dict[str, Machine] = {}
        self._lock = threading.Lock()
        self.load_directory()

    def load_directory(self) -> None:
        """Loads every *.yaml of both folders; one broken file stops start-up with its precise
        message. workflows/*.yaml hold projects, workflows/records/*.yaml records."""
        files = sorted(self.directory.glob("*.yaml"))
        if not files:
            raise DefinitionError(
                str(self.directory), [("", "no *.yaml lifecycle definitions found")]
            )
        for kind, folder, paths in (
            ("project", self._current, files),
            ("record", self._records, sorted(self.records_directory.glob("*.yaml"))),
        ):
            for path in paths:
                self.add(load_file(path), kind, folder, str(path))

    def add(self, definition: Definition, kind: str, folder=None, source: str = "") -> None:
        """One more current definition (tests add their own record workflows this way)."""
        if folder is None:
            folder = self._current if kind == "project" else self._records
        if definition.kind != kind:
            raise DefinitionError(source, [("kind", f"must be {kind} in this folder")])
        key = definition.record_type if kind == "record" else definition.name
        if key in folder:
            raise DefinitionError(source, [("name", f"{key!r} is defined twice")])
        folder[key] = definition
        self._by_version[definition.version] = definition

    def names(self) -> list[str]:
        """The project lifecycles (the API's /workflows lists these)."""
        return sorted(self._current)

    def record_types(self) -> list[str]:
        return sorted(self._records)

    def record(self, record_type: str) -> Definition:
        """The current workflow of a record type, which new records are pinned to."""
        try:
            return self._records[record_type]
        except KeyError:
            raise NotFound(
                f"No record workflow {record_type!r}; known: {', '.join(self.record_types())}"
            ) from None

    def current(self, name: str) -> Definition:
        try:
            return self._current[name]
        except KeyError:
            raise NotFound(
                f"No workflow named {name!r}; known: {', '.join(self.names())}"
            ) from None

    def get(self, version: str, session: Session | None = None) -> Definition:
        """A pinned version: from memory, or from the stored source of an older edition."""
        definition = self._by_version.get(version)
        # An empty version (records drafted before their texts were stored) is never stored:
        # no query for it (the dashboard asked four times a page).
        if definition is None and session is not None and version:
            stored = session.get(WorkflowVersion, version)
            if stored is not None:
                definition = load_text(stored.source, source=f"stored {stored.name}@{version}")
                if definition.kind == "project":
                    definition = appoint_lead_where_missing(definition)
                definition = labels_completed(definition, self._current_of(definition))
                self._by_version[version] = definition
        if definition is None:
            raise NotFound(f"Workflow version {version!r} is not known")
        return definition

    def _current_of(self, definition: Definition) -> Definition | None:
        if definition.kind == "record":
            return self._records.get(definition.record_type)
        return self._current.get(definition.name)

    def store_current(self, session: Session) -> None:
        """Record the current texts so projects pinned to them can be driven after edits."""
        known = set(session.scalars(select(WorkflowVersion.version)))
        for d in (*self._current.values(), *self._records.values()):
            if d.version not in known:
                session.add(
                    WorkflowVersion(
                        version=d.version, name=d.name, kind=d.kind, source=d.source_text
                    )
                )
        session.flush()

    def machine(self, definition: Definition) -> Machine:
        """Built once per version and shared; projects are never attached to it."""
        machine = self._machines.get(definition.version)
        if machine is None:
            with self._lock:
                machine = self._machines.get(definition.version)
                if machine is None:
                    machine = build_machine(definition)
                    self._machines[definition.version] = machine
        return machine


def appoint_lead_where_missing(definition: Definition) -> Definition:
    """Editions written before the `appoint_lead` effect existed made the lead partner when a
    proposal was marked (proposals/operations.py did it then); they name no effect for it. Their
    transitions that require a marked proposal (guard one_proposal_selected) get the effect, so
    the projects pinned to them still get their partner, now when the choice is approved."""
    if not any(
        "one_proposal_selected" in t.guards and "appoint_lead" not in t.effects
        for t in definition.transitions
    ):
        return definition
    transitions = tuple(
        replace(t, effects=(*t.effects, "appoint_lead"))
        if "one_proposal_selected" in t.guards and "appoint_lead" not in t.effects
        else t
        for t in definition.transitions
    )
    return replace(definition, transitions=transitions)


def labels_completed(definition: Definition, current: Definition | None) -> Definition:
    """An edition stored before its file carried French (or any language added since) reads its
    states, steps and deadlines in that language from the current edition's of the same name;
    what the current edition does not name stays in the edition's own English."""
    if current is None or current.version == definition.version:
        return definition

    def fill(spec, now, *names):
        return replace(spec, **{n: getattr(spec, n).filled_from(getattr(now, n)) for n in names})

    states = {}
    for name, state in definition.states.items():
        now = current.states.get(name)
        if now is None:
            states[name] = state
            continue
        now_deadlines = {x.key: x for x in now.deadlines}
        deadlines = tuple(
            fill(x, now_deadlines[x.key], "titles") if x.key in now_deadlines else x
            for x in state.deadlines
        )
        states[name] = replace(fill(state, now, "labels", "descriptions"), deadlines=deadlines)
    transitions = []
    for t in definition.transitions:
        same = current.transitions_named(t.trigger)
        # Two steps may share a trigger (recirculate): the one from the same states first.
        now = next((c for c in same if c.sources == t.sources), same[0] if same else None)
        if now is None:
            transitions.append(t)
            continue
        fields_now = {f.name: f for f in now.data}
        data = tuple(
            fill(f, fields_now[f.name], "labels") if f.name in fields_now else f for f in t.data
        )
        transitions.append(replace(fill(t, now, "labels"), data=data))
    return replace(
        definition,
        titles=definition.titles.filled_from(current.titles),
        descriptions=definition.descriptions.filled_from(current.descriptions),
        states=states,
        transitions=tuple(transitions),
    )


def machine_spec(definition: Definition) -> dict:
    return dict(
        states=list(definition.states),
        transitions=[edge for t in definition.transitions for edge in _edges(definition, t)],
        initial=definition.initial,
        auto_transitions=False,
        model_attribute="state",
        ignore_invalid_triggers=False,
    )


def build_machine(definition: Definition) -> Machine:
    return Machine(model=None, **machine_spec(definition))


def _edges(definition: Definition, t) -> list[dict]:
    """A transition as the machine's edges: `dest: previous` is one edge per state it may go
    back to, each taken only when the engine names it (trigger(model, dest=...))."""
    if t.dest != PREVIOUS:
        return [{"trigger": t.trigger, "source": list(t.sources), "dest": t.dest}]
    return [
        {"trigger": t.trigger, "source": source, "dest": back, "conditions": [_going_to(back)]}
        for source in t.sources
        for back in return_states(definition, source)
    ]


def _going_to(state: str):
    def going(dest=None, **_):
        return dest == state

    return going


def return_states(definition: Definition, state: str) -> list[str]:
    """The states a `dest: previous` out of `state` may go back to: those entering it."""
    found: list[str] = []
    for t in definition.transitions:
        if t.dest == state:
            found.extend(s for s in t.sources if s != state and s not in found)
    return found
