"""The review mission's guards and effect, registered in the engine's one registry."""

from twinflow.records.operations import record_deadline_met
from twinflow.review.window import DEADLINE_KEY
from twinflow.workflow.hooks import Context, effect, guard


@guard("review_report_written")
def review_report_written(ctx: Context) -> str | None:
    if not (ctx.record.report or "").strip():
        return "The mission report is empty: write its findings and recommendations first."
    return None


@guard("review_window_open")
def review_window_open(ctx: Context) -> str | None:
    opens = ctx.record.window_opens
    if opens is not None and ctx.now < opens:
        return (
            f"The review mission's window opens on {opens:%d %b %Y} "
            f"({ctx.definition.rules.after_end_months[0]} months after the implementation end)."
        )
    return None


@effect("meet_review_deadline")
def meet_review_deadline(ctx: Context) -> None:
    record_deadline_met(ctx.session, ctx.project.id, f"{DEADLINE_KEY}#{ctx.record.id}", ctx.now)
