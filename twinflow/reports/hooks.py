"""The guard and effect a report's workflow names: submitted once its quarter is over, and
meeting its deadline when it is."""

from twinflow.records.operations import record_deadline_met
from twinflow.workflow.hooks import Context, effect, guard


@guard("report_period_ended")
def report_period_ended(ctx: Context) -> str | None:
    report = ctx.record
    if report.kind == "interim" and ctx.now < report.period_end:
        return (
            f"{report.label} covers the quarter ending {report.period_end:%Y-%m-%d}; "
            "it can be submitted once that quarter is over."
        )
    return None


@effect("meet_report_deadline")
def meet_report_deadline(ctx: Context) -> None:
    record_deadline_met(ctx.session, ctx.project.id, ctx.record.deadline_key, ctx.now)
