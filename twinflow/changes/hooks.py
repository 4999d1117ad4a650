"""The effect an approved side letter or addendum has: its figures become the project's."""

from twinflow.audit.operations import append_event
from twinflow.changes.fields import CHANGE_FIELDS, check_changes
from twinflow.deadlines.operations import follow_project_dates
from twinflow.i18n import gettext as _
from twinflow.workflow.errors import Conflict
from twinflow.workflow.hooks import Context, effect


@effect("apply_changes")
def apply_changes(ctx: Context) -> None:
    """The approved figures become the project's; deadlines hanging on its dates follow."""
    record, project = ctx.record, ctx.project
    # Checked again: another change approved since this one was drafted may have used the room.
    clean, errors = check_changes(
        record.changes, project, ctx.lifecycle, ctx.definition, record.kind.replace("_", " ")
    )
    if errors:
        reasons = "; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items())
        raise Conflict(
            _(
                "%(record)s can no longer be applied: %(reasons)s",
                record=record.label,
                reasons=reasons,
            ),
            errors,
        )
    applied: dict = {}
    for name, value in clean.items():
        applied |= CHANGE_FIELDS[name].apply(project, value)
    record.applied = applied
    ctx.session.flush()
    if not applied:
        return
    if "implementation_end" in applied:
        follow_project_dates(ctx.session, project, ctx.lifecycle, ctx.now)
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
