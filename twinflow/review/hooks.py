"""The review mission's guards and effect, registered in the engine's one registry."""

from sqlalchemy import update

from twinflow.deadlines.models import Deadline
from twinflow.i18n import gettext as _
from twinflow.records.operations import record_deadline_met
from twinflow.review.window import DEADLINE_KEY
from twinflow.workflow.hooks import Context, effect, guard


@guard("review_report_written")
def review_report_written(ctx: Context) -> str | None:
    if not (ctx.record.report or "").strip():
        return _("The mission report is empty: write its findings and recommendations first.")
    return None


@guard("review_window_open")
def review_window_open(ctx: Context) -> str | None:
    opens = ctx.record.window_opens
    if opens is not None and ctx.now < opens:
        return _(
            "The review mission's window opens on %(date)s (%(months)s months after the "
            "implementation end).",
            date=opens.strftime("%d %b %Y"),
            months=ctx.definition.rules.after_end_months[0],
        )
    return None


@effect("meet_review_deadline")
def meet_review_deadline(ctx: Context) -> None:
    record_deadline_met(ctx.session, ctx.project.id, f"{DEADLINE_KEY}#{ctx.record.id}", ctx.now)


@effect("cancel_review_deadline")
def cancel_review_deadline(ctx: Context) -> None:
    """A mission not held owes no report."""
    ctx.session.execute(
        update(Deadline)
        .where(
            Deadline.project_id == ctx.project.id,
            Deadline.key == f"{DEADLINE_KEY}#{ctx.record.id}",
            Deadline.status == "open",
        )
        .values(status="cancelled", closed_at=ctx.now, next_alert_at=None)
    )
