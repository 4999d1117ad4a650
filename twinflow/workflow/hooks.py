"""The named guards, effects and change fields a definition may attach, for projects and records
alike: one registry each, one context. The engine registers the project's own (guards.py,
effects.py); each feature registers its record hooks from its own folder (reports/hooks.py,
changes/hooks.py, records/hooks.py), listed in HOOK_MODULES so that loading a definition can
check the names it uses."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from twinflow.i18n import gettext as _

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
    # What the guards and effects of one move have read already (remembered()).
    memo: dict = field(default_factory=dict)

    @property
    def record(self):
        return self.subject


def remembered(ctx: Context, key, read: Callable):
    """One read per move of what several guards and effects ask for (the selected proposal:
    three guards, then the effects that appoint the lead and tell the bidders). The project
    row is locked for the whole move, so what was read stays true until it commits; an effect
    that changes such rows clears ctx.memo."""
    if key not in ctx.memo:
        ctx.memo[key] = read()
    return ctx.memo[key]


# session.info key: a dict of reads shared by one engine step (set by the engine for the step's
# duration; a reader that finds none reads as usual).
STEP_READS = "twinflow.step_reads"

Guard = Callable[[Context], str | None]
Effect = Callable[[Context], None]
GUARDS: dict[str, Guard] = {}
EFFECTS: dict[str, Effect] = {}


@dataclass(frozen=True)
class Holder:
    """Who holds a named role on a project on a given day: the users who may take its personal
    steps (the member's account and the recorded deputy's), and how to say who that is."""

    title: str  # "the Member State project leader"
    name: str | None = None  # None: nobody holds the role that day
    user_ids: frozenset = frozenset()
    deputy: str | None = None
    has_account: bool = True

    def only(self, action: str) -> str:
        """The refusal a user of the same party gets: who can take the step instead. Whole
        sentences, so that each language orders them its own way ("Seul le chef de projet de
        l'État membre, Jeanne Martin, ou son suppléant peut signer le contrat.")."""
        who = {"holder": self.title, "name": self.name, "action": action}
        if self.name is None:
            return _(
                "Only %(holder)s can %(action)s, and the project's team names none yet.", **who
            )
        if self.deputy:
            text = _(
                "Only %(holder)s, %(name)s, or their deputy, %(deputy)s, can %(action)s.",
                deputy=self.deputy,
                **who,
            )
        else:
            text = _("Only %(holder)s, %(name)s, or their deputy can %(action)s.", **who)
        if not self.has_account:
            text += " " + _(
                "%(name)s has no user account yet: link one on the team page.", name=self.name
            )
        return text


# (session, project, day) -> who holds the role that day.
Person = Callable[[Session, object, date], Holder]
PERSONS: dict[str, Person] = {}


def person(name: str):
    def register(fn: Person) -> Person:
        PERSONS[name] = fn
        return fn

    return register


def persons_of(session: Session, project, definition, actor, day: date) -> list[str]:
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
        if name in PERSONS
        and getattr(actor, "id", None) in PERSONS[name](session, project, day).user_ids
    ]


def person_refusal(session: Session, project, spec, actor, parties, day: date):
    """(the parties of `spec` this actor may sign for, the refusal if a person-bound slot is
    all they have): a slot `{party: lead_member_state, person: ms_project_leader}` is taken by
    that person or their deputy only, not by any user of the party."""
    allowed, refusal = [], None
    for party in (p for p in parties if p in spec.parties):
        name = spec.person_for(party)
        if name is None:
            allowed.append(party)
            continue
        holder = PERSONS[name](session, project, day)
        if getattr(actor, "id", None) in holder.user_ids:
            allowed.append(party)
        elif refusal is None:
            refusal = holder.only(spec.label[:1].lower() + spec.label[1:])
    return allowed, (refusal if not allowed else None)


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
