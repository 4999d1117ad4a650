"""Named guards and effects a record workflow file may attach to its transitions."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.implementation.change_fields import CHANGE_FIELDS, check_changes
from twinflow.implementation.deadline_links import follow_project_dates, record_deadline_met
from twinflow.workflow.errors import Conflict


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


@record_guard("report_period_ended")
def report_period_ended(ctx: RecordContext) -> str | None:
    report = ctx.record
    if report.kind == "interim" and ctx.now < report.period_end:
        return (
            f"{report.label} covers the quarter ending {report.period_end:%Y-%m-%d}; "
            "it can be submitted once that quarter is over."
        )
    return None


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


@record_effect("meet_report_deadline")
def meet_report_deadline(ctx: RecordContext) -> None:
    record_deadline_met(ctx.session, ctx.project.id, ctx.record.deadline_key, ctx.now)


@record_effect("apply_changes")
def apply_changes(ctx: RecordContext) -> None:
    """The approved figures become the project's; deadlines hanging on its dates follow."""
    record, project = ctx.record, ctx.project
    # Checked again: another change approved since this one was drafted may have used the room.
    clean, errors = check_changes(
        record.changes, project, ctx.definition, ctx.workflow, record.kind.replace("_", " ")
    )
    if errors:
        reasons = "; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items())
        raise Conflict(f"{record.label} can no longer be applied: {reasons}", errors)
    applied: dict = {}
    for name, value in clean.items():
        applied |= CHANGE_FIELDS[name].apply(project, value)
    record.applied = applied
    ctx.session.flush()
    if not applied:
        return
    if "implementation_end" in applied:
        follow_project_dates(ctx.session, project, ctx.definition, ctx.now)
    append_event(
        ctx.session,
        action="project_figures_changed",
        now=ctx.now,
        actor=ctx.actor,
        project_id=project.id,
        data={
            "by": record.kind,
            "record_id": record.id,
            "number": record.number,
            "changes": applied,
        },
    )
