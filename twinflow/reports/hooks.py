"""The guard and effect a report's workflow names: submitted once its quarter is over, and
meeting its deadline when it is."""

from twinflow.records.hooks import RecordContext, record_effect, record_guard
from twinflow.records.operations import record_deadline_met


@record_guard("report_period_ended")
def report_period_ended(ctx: RecordContext) -> str | None:
    report = ctx.record
    if report.kind == "interim" and ctx.now < report.period_end:
        return (
            f"{report.label} covers the quarter ending {report.period_end:%Y-%m-%d}; "
            "it can be submitted once that quarter is over."
        )
    return None


@record_effect("meet_report_deadline")
def meet_report_deadline(ctx: RecordContext) -> None:
    record_deadline_met(ctx.session, ctx.project.id, ctx.record.deadline_key, ctx.now)
