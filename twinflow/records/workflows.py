"""The small workflows of records (reports, side letters, addenda), declared in
workflows/records/*.yaml with a sibling of the lifecycle schema, and their shared machines.

The project WorkflowRegistry reads workflows/*.yaml only, so these files never become project
lifecycles; `kind: record` says so in the file itself.
"""

import importlib
import threading
from dataclasses import dataclass
from pathlib import Path

from marshmallow import fields, validate
from transitions import Machine

from twinflow.workflow.definition import load_with_schema, read_yaml_mapping, version_of
from twinflow.workflow.errors import DefinitionError, NotFound
from twinflow.workflow.parties import PARTY_KINDS
from twinflow.workflow.schema import NAME, StrictSchema, TransitionSchema

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "workflows" / "records"
# The modules whose import registers the named effects, guards and change fields.
_HOOK_MODULES = ("twinflow.records.hooks", "twinflow.reports.hooks", "twinflow.changes.hooks")


class RecordStateSchema(StrictSchema):
    name = fields.String(required=True, validate=NAME)
    label = fields.String(load_default=None)
    terminal = fields.Boolean(load_default=False)


class RecordTransitionSchema(StrictSchema):
    trigger = fields.String(required=True, validate=NAME)
    label = fields.String(load_default=None)
    source = fields.Raw(required=True)
    dest = fields.String(required=True)
    allowed = fields.List(fields.String(), load_default=list)
    # Co-signing: every party listed must sign; the transition applies with the last signature.
    signatures = fields.List(fields.String(), load_default=list)
    # Separation of duties: neither the author nor a signer of the record may take this step.
    by_someone_else = fields.Boolean(load_default=False)
    comment = fields.String(
        load_default="optional", validate=validate.OneOf(("required", "optional"))
    )
    guards = fields.List(fields.String(), load_default=list)
    effects = fields.List(fields.String(), load_default=list)

    _source_is_name_or_list = TransitionSchema._source_is_name_or_list


class RecordRulesSchema(StrictSchema):
    max_reallocation_percent = fields.Integer(
        load_default=None, validate=validate.Range(min=0, max=100)
    )


class RecordWorkflowSchema(StrictSchema):
    kind = fields.String(required=True, validate=validate.Equal("record"))
    name = fields.String(required=True, validate=NAME)
    title = fields.String(required=True)
    description = fields.String(load_default="")
    roles = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    drafted_by = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    # The project states in which records of this kind may be drafted and moved.
    project_states = fields.List(
        fields.String(validate=NAME), required=True, validate=validate.Length(min=1)
    )
    initial = fields.String(required=True)
    editable = fields.List(fields.String(), load_default=list)
    changes = fields.List(fields.String(), load_default=list)
    rules = fields.Nested(RecordRulesSchema, load_default=dict)
    states = fields.List(
        fields.Nested(RecordStateSchema), required=True, validate=validate.Length(min=1)
    )
    transitions = fields.List(
        fields.Nested(RecordTransitionSchema), required=True, validate=validate.Length(min=1)
    )


@dataclass(frozen=True)
class RecordTransition:
    trigger: str
    label: str
    sources: tuple[str, ...]
    dest: str
    allowed: tuple[str, ...]
    signatures: tuple[str, ...]
    by_someone_else: bool
    comment_required: bool
    guards: tuple[str, ...]
    effects: tuple[str, ...]

    @property
    def parties(self) -> tuple[str, ...]:
        return self.signatures or self.allowed


@dataclass(frozen=True)
class RecordWorkflow:
    name: str
    title: str
    version: str
    roles: tuple[str, ...]
    drafted_by: tuple[str, ...]
    project_states: tuple[str, ...]
    initial: str
    editable: tuple[str, ...]
    changes: tuple[str, ...]
    max_reallocation_percent: int | None
    states: dict[str, tuple[str, bool]]  # name -> (label, terminal)
    transitions: tuple[RecordTransition, ...]

    def label_of(self, state: str) -> str:
        return self.states[state][0]

    def transition(self, trigger: str, source: str) -> RecordTransition | None:
        for spec in self.transitions:
            if spec.trigger == trigger and source in spec.sources:
                return spec
        return None

    def transitions_named(self, trigger: str) -> list[RecordTransition]:
        return [t for t in self.transitions if t.trigger == trigger]

    def transitions_from(self, state: str) -> list[RecordTransition]:
        return [t for t in self.transitions if state in t.sources]


def load_text(text: str, source: str = "<record workflow>") -> RecordWorkflow:
    raw = read_yaml_mapping(text, source, "kind: record")
    loaded = load_with_schema(RecordWorkflowSchema(), raw, source)
    problems = _semantic_problems(loaded)
    if problems:
        raise DefinitionError(source, problems)
    return _build(loaded, text)


def _semantic_problems(d: dict) -> list[tuple[str, str]]:
    for module in _HOOK_MODULES:
        importlib.import_module(module)
    from twinflow.records.hooks import CHANGE_FIELDS, RECORD_EFFECTS, RECORD_GUARDS

    problems: list[tuple[str, str]] = []
    roles = d["roles"]
    for i, role in enumerate(roles):
        if role not in PARTY_KINDS:
            problems.append((f"roles[{i}]", f"unknown role {role!r}; known: {sorted(PARTY_KINDS)}"))
    for i, party in enumerate(d["drafted_by"]):
        if party not in roles:
            problems.append((f"drafted_by[{i}]", f"role {party!r} is not defined in roles"))
    names = [s["name"] for s in d["states"]]
    for i, name in enumerate(names):
        if names.index(name) != i:
            problems.append((f"states[{i}].name", f"duplicate state {name!r}"))
    if d["initial"] not in names:
        problems.append(("initial", f"unknown state {d['initial']!r}"))
    for i, name in enumerate(d["editable"]):
        if name not in names:
            problems.append((f"editable[{i}]", f"unknown state {name!r}"))
    for i, name in enumerate(d["changes"]):
        if name not in CHANGE_FIELDS:
            problems.append(
                (f"changes[{i}]", f"unknown change {name!r}; known: {sorted(CHANGE_FIELDS)}")
            )
    terminal = {s["name"] for s in d["states"] if s["terminal"]}
    seen: set[tuple[str, str]] = set()
    for i, t in enumerate(d["transitions"]):
        here = f"transitions[{i}]"
        sources = [t["source"]] if isinstance(t["source"], str) else t["source"]
        for s in sources:
            if s not in names:
                problems.append((f"{here}.source", f"unknown state {s!r}"))
            elif s in terminal:
                problems.append((f"{here}.source", f"{s!r} is terminal; nothing may leave it"))
            if (t["trigger"], s) in seen:
                problems.append(
                    (f"{here}.trigger", f"duplicate trigger {t['trigger']!r} from {s!r}")
                )
            seen.add((t["trigger"], s))
        if t["dest"] not in names:
            problems.append((f"{here}.dest", f"unknown state {t['dest']!r}"))
        if bool(t["allowed"]) == bool(t["signatures"]):
            problems.append((here, "give exactly one of 'allowed' or 'signatures'"))
        if t["signatures"] and len(set(t["signatures"])) < 2:
            problems.append(
                (f"{here}.signatures", "co-signing needs at least two distinct parties")
            )
        for key in ("allowed", "signatures"):
            for k, party in enumerate(t[key]):
                if party not in roles:
                    problems.append(
                        (f"{here}.{key}[{k}]", f"role {party!r} is not defined in roles")
                    )
        for k, name in enumerate(t["guards"]):
            if name not in RECORD_GUARDS:
                problems.append((f"{here}.guards[{k}]", f"unknown guard {name!r}"))
        for k, name in enumerate(t["effects"]):
            if name not in RECORD_EFFECTS:
                problems.append((f"{here}.effects[{k}]", f"unknown effect {name!r}"))
    return problems


def _build(d: dict, text: str) -> RecordWorkflow:
    return RecordWorkflow(
        name=d["name"],
        title=d["title"],
        version=version_of(text),
        roles=tuple(d["roles"]),
        drafted_by=tuple(d["drafted_by"]),
        project_states=tuple(d["project_states"]),
        initial=d["initial"],
        editable=tuple(d["editable"]),
        changes=tuple(d["changes"]),
        max_reallocation_percent=(d["rules"] or {}).get("max_reallocation_percent"),
        states={
            s["name"]: (s["label"] or s["name"].replace("_", " ").capitalize(), s["terminal"])
            for s in d["states"]
        },
        transitions=tuple(
            RecordTransition(
                trigger=t["trigger"],
                label=t["label"] or t["trigger"].replace("_", " ").capitalize(),
                sources=tuple([t["source"]] if isinstance(t["source"], str) else t["source"]),
                dest=t["dest"],
                allowed=tuple(t["allowed"]),
                signatures=tuple(t["signatures"]),
                by_someone_else=t["by_someone_else"],
                comment_required=t["comment"] == "required",
                guards=tuple(t["guards"]),
                effects=tuple(t["effects"]),
            )
            for t in d["transitions"]
        ),
    )


class RecordWorkflows:
    """Every record workflow of a directory, and one shared, model-less machine for each."""

    def __init__(self, directory: str | Path | None = None):
        self.directory = Path(directory) if directory else DEFAULT_DIR
        self._by_name: dict[str, RecordWorkflow] = {}
        self._machines: dict[str, Machine] = {}
        for path in sorted(self.directory.glob("*.yaml")):
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise DefinitionError(
                    str(path), [("", f"cannot be read: {exc.strerror}")]
                ) from None
            workflow = load_text(text, source=str(path))
            if workflow.name in self._by_name:
                raise DefinitionError(str(path), [("name", f"{workflow.name!r} is defined twice")])
            self._by_name[workflow.name] = workflow
            self._machines[workflow.name] = Machine(
                model=None,
                states=list(workflow.states),
                transitions=[
                    {"trigger": t.trigger, "source": list(t.sources), "dest": t.dest}
                    for t in workflow.transitions
                ],
                initial=workflow.initial,
                auto_transitions=False,
                model_attribute="state",
                ignore_invalid_triggers=False,
            )

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def get(self, name: str) -> RecordWorkflow:
        try:
            return self._by_name[name]
        except KeyError:
            raise NotFound(f"No record workflow named {name!r}; known: {self.names()}") from None

    def machine(self, name: str) -> Machine:
        self.get(name)
        return self._machines[name]


_cache: dict[Path, RecordWorkflows] = {}
_lock = threading.Lock()


def records_for(engine) -> RecordWorkflows:
    """The record workflows beside the engine's lifecycles (workflows/records/), loaded once."""
    directory = Path(engine.registry.directory) / "records"
    if not directory.is_dir():
        directory = DEFAULT_DIR
    found = _cache.get(directory)
    if found is None:
        with _lock:
            found = _cache.get(directory) or RecordWorkflows(directory)
            _cache[directory] = found
    return found
