"""Guards that keep a project's dates honest; the lifecycle files name them on transitions.

Registered in the engine's guard table (workflow/guards.py imports this module). A refusal
about a date the caller sent raises InvalidData keyed by that field ("data.<name>"), so the
API answers 422 naming it and the web form marks it; the others return their reason.
"""

from datetime import datetime, timedelta

from sqlalchemy import bindparam, select

from twinflow.deadlines.models import Deadline
from twinflow.workflow.errors import InvalidData
from twinflow.workflow.guards import GuardContext, guard, report_states

# Statuses of a deadline that no longer asks for anything.
RELEASED = ("superseded", "cancelled", "waived")


def _day(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def signature_date(ctx: GuardContext) -> datetime:
    """The contract's signature as dated by the caller, or now (the last signature given)."""
    return ctx.data.get("contract_signed_at") or ctx.now


def default_start(signed: datetime, now: datetime) -> datetime:
    # The Manual starts implementation on the day after notification of the signed contract;
    # the notification is the moment the last signature is given here (now).
    return max(signed, now) + timedelta(days=1)


@guard("contract_dates_plausible")
def contract_dates_plausible(ctx: GuardContext) -> str | None:
    errors: dict[str, list[str]] = {}
    signed = signature_date(ctx)
    if signed > ctx.now:
        errors["data.contract_signed_at"] = [
            f"cannot be in the future ({_day(signed)}; it is now {_day(ctx.now)})"
        ]
    start = ctx.data.get("implementation_start") or default_start(signed, ctx.now)
    tolerance = ctx.definition.rules.start_backdating_tolerance
    earliest = tolerance.before(ctx.now)
    if start < earliest:
        errors["data.implementation_start"] = [
            f"lies too far in the past ({_day(start)}); at most {tolerance} before today "
            f"({_day(earliest)}) is accepted. Older projects are brought in by the import"
        ]
    elif start < signed:
        errors["data.implementation_start"] = [
            f"cannot lie before the contract signature ({_day(start)} is before {_day(signed)})"
        ]
    if errors:
        first = next(iter(errors))
        raise InvalidData(errors, f"{first.removeprefix('data.')}: {errors[first][0]}.")
    return None


@guard("implementation_started")
def implementation_started(ctx: GuardContext) -> str | None:
    """end_implementation ends the period today: not before it has begun."""
    start = ctx.project.implementation_start
    if start is not None and ctx.now < start:
        return (
            f"implementation_end: the implementation period starts on {_day(start)}; it "
            f"cannot end before it starts (today is {_day(ctx.now)})."
        )
    return None


@guard("interim_reports_settled")
def interim_reports_settled(ctx: GuardContext) -> str | None:
    """Closure waits for every interim report owed: approved, or its deadline waived."""
    owed = ctx.session.scalars(_INTERIM_OWED, {"pid": ctx.project.id}).all()
    if not owed:
        return None
    reports = {number: state for kind, number, state in report_states(ctx) if kind == "interim"}
    missing = []
    for key in owed:
        number = int(key.split("#", 1)[1])
        state = reports.get(number)
        if state != "approved":
            missing.append(f"{number} ({state or 'not drafted'})")
    if not missing:
        return None
    return (
        f"Interim reports still owed and not approved: {', '.join(missing)}. The project "
        "closes once each is approved, or a coordinator waives its deadline with a reason."
    )


# interim_reports_settled's read, built once (every closure checks it).
_INTERIM_OWED = (
    select(Deadline.key)
    .where(
        Deadline.project_id == bindparam("pid"),
        Deadline.key.startswith("interim_report#", autoescape=True),
        Deadline.status.not_in(RELEASED),
    )
    .order_by(Deadline.due_at, Deadline.id)
)
