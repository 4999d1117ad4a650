"""Named guards, effects and change fields a record workflow file may attach to its transitions:
the registries, and the hooks every record shares. Each feature registers its own beside its
operations (reports/hooks.py, changes/hooks.py); records/workflows.py imports them all."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session


@dataclass
class RecordContext:
    session: Session
    engine: object
    project: object
    definition: object  # the project's lifecycle definition
    workflow: object  # the record's workflow
    record: object
    actor: object
    comment: str | None
    now: datetime


RECORD_GUARDS: dict[str, Callable[[RecordContext], str | None]] = {}
RECORD_EFFECTS: dict[str, Callable[[RecordContext], None]] = {}


def record_guard(name: str):
    def register(fn):
        RECORD_GUARDS[name] = fn
        return fn

    return register


def record_effect(name: str):
    def register(fn):
        RECORD_EFFECTS[name] = fn
        return fn

    return register


@dataclass(frozen=True)
class ChangeField:
    """A project figure a record workflow's `changes` may name (changes/fields.py)."""

    name: str
    # (value, project, definition, record workflow) -> (clean value, reason or None)
    check: Callable
    # (project, clean value) -> {"field": {"from": old, "to": new}} of what moved
    apply: Callable


CHANGE_FIELDS: dict[str, ChangeField] = {}


def change_field(name: str, check: Callable, apply: Callable) -> None:
    CHANGE_FIELDS[name] = ChangeField(name, check, apply)


@record_effect("stamp_submitted")
def stamp_submitted(ctx: RecordContext) -> None:
    ctx.record.submitted_at = ctx.now


@record_effect("stamp_decided")
def stamp_decided(ctx: RecordContext) -> None:
    ctx.record.decided_at = ctx.now
    ctx.record.decided_by_id = ctx.actor.id
    ctx.record.decision_comment = ctx.comment


@record_effect("new_signing_round")
def new_signing_round(ctx: RecordContext) -> None:
    # A returned record must be signed again: earlier signatures were on the old content.
    ctx.record.signing_round += 1
