"""Loading a definition (a project lifecycle or a record workflow): YAML text -> validated,
immutable Definition with a version."""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from babel.numbers import format_decimal

from twinflow.i18n import current_language
from twinflow.i18n import gettext as _
from twinflow.workflow.checks import expand_sources, problems_of, signoff_of
from twinflow.workflow.durations import Duration
from twinflow.workflow.errors import DefinitionError
from twinflow.workflow.labels import Labels
from twinflow.workflow.schema import DefinitionSchema
from twinflow.workflow.strict_yaml import load_with_schema, read_yaml_mapping


@dataclass(frozen=True)
class DataField:
    name: str
    type: str
    labels: Labels
    required: bool
    future: bool

    def __post_init__(self):
        object.__setattr__(self, "labels", Labels.of(self.labels))

    @property
    def label(self) -> str:
        return self.labels.text()


@dataclass(frozen=True)
class DeadlineSpec:
    key: str
    titles: Labels
    anchor: str
    after: Duration
    every: Duration | None
    until: str | None
    reminders: tuple[Duration, ...]
    notify: tuple[str, ...]
    escalate_every: Duration | None
    met_on: str

    @property
    def title(self) -> str:
        """In English whatever the page's language: it is stored on each deadline row."""
        return self.titles.english

    @property
    def label(self) -> str:
        """The title in the current language, for pages."""
        return self.titles.text()


@dataclass(frozen=True)
class StateSpec:
    name: str
    labels: Labels
    descriptions: Labels
    terminal: bool
    deadlines: tuple[DeadlineSpec, ...]

    # Read in the current language (English outside a web request: the API's contract).
    @property
    def label(self) -> str:
        return self.labels.text()

    @property
    def description(self) -> str:
        return self.descriptions.text()


@dataclass(frozen=True)
class TransitionSpec:
    trigger: str
    labels: Labels
    sources: tuple[str, ...]
    dest: str
    allowed: tuple[str, ...]
    # The sign-off: these parties consent, all of them or `needs` of them; empty: none.
    signoff: tuple[str, ...]
    comment_required: bool
    guards: tuple[str, ...]
    effects: tuple[str, ...]
    data: tuple[DataField, ...] = ()
    needs: int | None = None
    # Separation of duties: neither the author, an editor nor a signer may take this step.
    by_someone_else: bool = False
    # Under these management modes `endorsed_by` approves first (modes.py makes it so);
    # `endorser` is set on the step as it applies: the party whose consent must come first.
    endorsed_by: str | None = None
    endorsed_under: tuple[str, ...] = ()
    endorser: str | None = None
    # (party, person): that party's sign-off is given by the named person (or their deputy).
    persons: tuple[tuple[str, str], ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "labels", Labels.of(self.labels))

    @property
    def label(self) -> str:
        return self.labels.text()

    def person_for(self, party: str) -> str | None:
        return next((name for p, name in self.persons if p == party), None)

    @property
    def needs_signoff(self) -> bool:
        return bool(self.signoff)

    # The names the API and older callers know the sign-off parties by.
    needs_approvals = needs_signoff

    @property
    def approvals(self) -> tuple[str, ...]:
        return self.signoff

    @property
    def parties(self) -> tuple[str, ...]:
        """Who may start this transition: the signing parties, or the allowed ones."""
        return self.signoff or self.allowed


@dataclass(frozen=True)
class Rules:
    """The Manual's figures for this kind of project (Twinning or Twinning Light)."""

    budget_eur_above: int | None = None
    budget_eur_at_most: int | None = None
    months_min: int | None = None
    months_max: int | None = None
    junior_member_states_allowed: bool = True
    rta_required: bool = False
    rta_allowed: bool = True
    rta_months_min: int | None = None
    rta_months_max: int | None = None
    proposal_period: Duration = Duration(days=56)
    max_reallocation_percent: int | None = None
    start_backdating_tolerance: Duration = Duration(days=30)
    execution_extra_months: int = 3
    after_end_months: tuple[int, int] | None = None
    # The selection meeting (or written evaluation) after the proposal deadline (Manual: 2 weeks).
    selection_meeting_period: Duration = Duration(days=14)

    def project_problems(self, budget_eur, implementation_months) -> dict[str, str]:
        problems = {}
        budget = Decimal(str(budget_eur)) if budget_eur is not None else None
        if budget is not None:
            if self.budget_eur_above is not None and budget <= self.budget_eur_above:
                amount = format_decimal(self.budget_eur_above, locale=current_language())
                problems["budget_eur"] = _("must be above EUR %(amount)s", amount=amount)
            if self.budget_eur_at_most is not None and budget > self.budget_eur_at_most:
                amount = format_decimal(self.budget_eur_at_most, locale=current_language())
                problems["budget_eur"] = _("must be at most EUR %(amount)s", amount=amount)
        if implementation_months is not None:
            low, high = self.months_min, self.months_max
            if (low is not None and implementation_months < low) or (
                high is not None and implementation_months > high
            ):
                problems["implementation_months"] = _(
                    "must be between %(low)s and %(high)s months", low=low, high=high
                )
        return problems

    def proposal_problems(self, junior_member_states, rta_name) -> list[str]:
        problems = []
        if junior_member_states and not self.junior_member_states_allowed:
            problems.append(_("junior_member_states: this type allows one Member State only"))
        if rta_name and not self.rta_allowed:
            problems.append(_("rta_name: this type has no Resident Twinning Adviser"))
        if not rta_name and self.rta_required:
            problems.append(_("rta_name: a Resident Twinning Adviser must be proposed"))
        return problems


@dataclass(frozen=True)
class Definition:
    name: str
    titles: Labels
    descriptions: Labels
    version: str
    roles: tuple[str, ...]
    initial: str
    rules: Rules
    states: dict[str, StateSpec]
    transitions: tuple[TransitionSpec, ...]
    source_text: str = field(repr=False)
    kind: str = "project"
    # Records only: the record type driven, who drafts, when, what is editable or may change.
    record_type: str | None = None
    drafted_by: tuple[str, ...] = ()
    project_states: tuple[str, ...] = ()
    editable: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()

    @property
    def max_reallocation_percent(self) -> int | None:
        return self.rules.max_reallocation_percent

    @property
    def title(self) -> str:
        return self.titles.text()

    @property
    def description(self) -> str:
        return self.descriptions.text()

    def label_of(self, state: str) -> str:
        """The state's label in the current language (English outside a web request)."""
        return self.states[state].label

    def deadline_label(self, key: str) -> str | None:
        """A deadline's title in the current language (its row keeps the English one), by its
        key ("interim_report#2": the second one); None for a key this edition does not set."""
        base, _sep, number = key.partition("#")
        for state in self.states.values():
            for deadline in state.deadlines:
                if deadline.key == base:
                    return f"{deadline.label} {number}" if number else deadline.label
        return None

    @property
    def terminal_states(self) -> set[str]:
        return {s.name for s in self.states.values() if s.terminal}

    @property
    def triggers(self) -> list[str]:
        return list(dict.fromkeys(t.trigger for t in self.transitions))

    def transition(self, trigger: str, source: str) -> TransitionSpec | None:
        for spec in self.transitions:
            if spec.trigger == trigger and source in spec.sources:
                return spec
        return None

    def transitions_named(self, trigger: str) -> list[TransitionSpec]:
        return [t for t in self.transitions if t.trigger == trigger]

    def transitions_from(self, state: str) -> list[TransitionSpec]:
        return [t for t in self.transitions if state in t.sources]


def version_of(text: str) -> str:
    """The content hash that pins projects: the same text always gives the same version."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_file(path: str | Path) -> Definition:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionError(str(path), [("", f"cannot be read: {exc.strerror}")]) from None
    return load_text(text, source=str(path))


def load_text(text: str, source: str = "<definition>") -> Definition:
    raw = read_yaml_mapping(text, source, "kind, name, states and transitions")
    loaded = load_with_schema(DefinitionSchema(), raw, source)
    problems = problems_of(loaded)
    if problems:
        raise DefinitionError(source, problems)
    return _build(loaded, text)


def _build(d: dict, text: str) -> Definition:
    state_names = [s["name"] for s in d["states"]]
    terminal = {s["name"] for s in d["states"] if s["terminal"]}
    rules_raw = d["rules"] or {}
    months = rules_raw.get("implementation_months") or {}
    rta = rules_raw.get("rta_secondment_months") or {}
    rules = Rules(
        budget_eur_above=rules_raw.get("budget_eur_above"),
        budget_eur_at_most=rules_raw.get("budget_eur_at_most"),
        months_min=months.get("min"),
        months_max=months.get("max"),
        junior_member_states_allowed=rules_raw.get("junior_member_states_allowed", True),
        rta_required=rules_raw.get("rta_required", False),
        rta_allowed=rules_raw.get("rta_allowed", True),
        rta_months_min=rta.get("min"),
        rta_months_max=rta.get("max"),
        proposal_period=rules_raw.get("proposal_period") or Duration(days=56),
        max_reallocation_percent=rules_raw.get("max_reallocation_percent"),
        start_backdating_tolerance=rules_raw.get("start_backdating_tolerance", Duration(days=30)),
        execution_extra_months=rules_raw.get("execution_extra_months", 3),
        after_end_months=_window(rules_raw.get("after_end_months")),
        selection_meeting_period=rules_raw.get("selection_meeting_period", Duration(days=14)),
    )
    states = {
        s["name"]: StateSpec(
            name=s["name"],
            labels=s["label"] or Labels.of(s["name"].replace("_", " ").capitalize()),
            descriptions=s["description"],
            terminal=s["terminal"],
            deadlines=tuple(
                DeadlineSpec(
                    key=x["key"],
                    titles=x["title"],
                    anchor=x["anchor"],
                    after=x["after"],
                    every=x["every"],
                    until=x["until"],
                    reminders=tuple(x["reminders"]),
                    notify=tuple(x["notify"]),
                    escalate_every=x["escalate_every"],
                    met_on=x["met_on"],
                )
                for x in s["deadlines"]
            ),
        )
        for s in d["states"]
    }
    transitions = tuple(
        TransitionSpec(
            trigger=t["trigger"],
            labels=t["label"] or Labels.of(t["trigger"].replace("_", " ").capitalize()),
            sources=tuple(expand_sources(t["source"], state_names, terminal)),
            dest=t["dest"],
            allowed=tuple(t["allowed"]),
            signoff=signoff_of(t)[0],
            needs=signoff_of(t)[1],
            persons=signoff_of(t)[2],
            by_someone_else=t["by_someone_else"],
            endorsed_by=(t["endorsement"] or {}).get("by"),
            endorsed_under=tuple((t["endorsement"] or {}).get("under", ())),
            comment_required=t["comment"] == "required",
            guards=tuple(t["guards"]),
            effects=tuple(t["effects"]),
            data=tuple(
                DataField(f["name"], f["type"], f["label"], f["required"], f["future"])
                for f in t["data"]
            ),
        )
        for t in d["transitions"]
    )
    return Definition(
        name=d["name"],
        titles=d["title"],
        descriptions=d["description"],
        version=version_of(text),
        roles=tuple(d["roles"]),
        initial=d["initial"],
        rules=rules,
        states=states,
        transitions=transitions,
        source_text=text,
        kind=d["kind"],
        record_type=(d["record_type"] or d["name"]) if d["kind"] == "record" else None,
        drafted_by=tuple(d["drafted_by"]),
        project_states=tuple(d["project_states"]),
        editable=tuple(d["editable"]),
        changes=tuple(d["changes"]),
    )


def _window(months: dict | None) -> tuple[int, int] | None:
    return (months["min"], months["max"]) if months else None
