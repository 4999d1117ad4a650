"""The named guards, effects and change fields a definition may attach, for projects and records
alike: one registry each, one context. The engine registers the project's own (guards.py,
effects.py); each feature registers its record hooks from its own folder (reports/hooks.py,
changes/hooks.py, records/hooks.py), listed in HOOK_MODULES so that loading a definition can
check the names it uses."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

# Imported (by name, so the engine never imports a feature) before a definition is checked.
HOOK_MODULES = (
    "twinflow.workflow.guards",
    "twinflow.workflow.effects",
    "twinflow.records.hooks",
    "twinflow.reports.hooks",
    "twinflow.changes.hooks",
    "twinflow.team.hooks",
    "twinflow.calls.hooks",
    "twinflow.review.hooks",
    "twinflow.selection.hooks",
)
# A sign-off by a named person: `signoff: {person: <name>}` is owed by the one user a resolver
# registered under that name finds on the project (e.g. the team's ms_project_leader).
PERSON = "person:"


@dataclass
class Context:
    """What a guard or an effect sees. `definition` is the definition driving the subject (the
    project's lifecycle, or the record's workflow); for a record, `subject` is the record and
    `lifecycle` the project's definition."""

    session: Session
    project: object
    definition: object
    actor: object = None
    data: dict | None = None
    now: datetime | None = None
    subject: object = None
    comment: str | None = None
    lifecycle: object = None
    # The project's page (absolute when the engine knows its base URL), for notices.
    link: str | None = None

    @property
    def record(self):
        return self.subject


Guard = Callable[[Context], str | None]
Effect = Callable[[Context], None]
GUARDS: dict[str, Guard] = {}
EFFECTS: dict[str, Effect] = {}


Person = Callable[[Session, object], int | None]
PERSONS: dict[str, Person] = {}


def person(name: str):
    def register(fn: Person) -> Person:
        PERSONS[name] = fn
        return fn

    return register


def persons_of(session: Session, project, definition, actor) -> list[str]:
    """The `person:<name>` parties of the definition that this actor is on the project."""
    names = {
        p.removeprefix(PERSON)
        for t in definition.transitions
        for p in t.signoff
        if p.startswith(PERSON)
    }
    return [
        f"{PERSON}{name}"
        for name in sorted(names)
        if name in PERSONS and PERSONS[name](session, project) == getattr(actor, "id", None)
    ]


def guard(name: str):
    def register(fn: Guard) -> Guard:
        GUARDS[name] = fn
        return fn

    return register


def effect(name: str):
    def register(fn: Effect) -> Effect:
        EFFECTS[name] = fn
        return fn

    return register


@dataclass(frozen=True)
class ChangeField:
    """A project figure a record workflow's `changes` may name (changes/fields.py)."""

    name: str
    # (value, project, lifecycle, record workflow) -> (clean value, reason or None)
    check: Callable
    # (project, clean value) -> {"field": {"from": old, "to": new}} of what moved
    apply: Callable


CHANGE_FIELDS: dict[str, ChangeField] = {}


def change_field(name: str, check: Callable, apply: Callable) -> None:
    CHANGE_FIELDS[name] = ChangeField(name, check, apply)


def load_hooks() -> None:
    for module in HOOK_MODULES:
        importlib.import_module(module)
