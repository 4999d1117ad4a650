"""The named persons a sign-off may wait for: `signoff: [{party: lead_member_state, person:
ms_project_leader}]` (that party's slot) or `signoff: {person: ms_project_leader}` (the step
alone): the team member in that role on the day, through their account or their deputy's."""

from datetime import timedelta

from twinflow.deadlines.guards import default_start, signature_date
from twinflow.team import changes as _changes  # noqa: F401 - registers the team changes
from twinflow.team.models import TEAM_ROLES
from twinflow.team.people import holder, member_on
from twinflow.workflow.durations import add_months
from twinflow.workflow.hooks import guard, person


def _resolver(role: str):
    def resolve(session, project, day):
        return holder(session, project, role, day)

    return resolve


for _role in TEAM_ROLES:
    person(_role)(_resolver(_role))


def _day(moment) -> str:
    return f"{moment:%d %b %Y}".lstrip("0")


@guard("rta_covers_implementation")
def rta_covers_implementation(ctx) -> str | None:
    """A standard Twinning is signed with a named RTA seconded for the whole implementation
    period (from its first day to the day before its end date); a Twinning Light has none."""
    if not ctx.definition.rules.rta_required or ctx.project.implementation_months is None:
        return None  # an unknown period is implementation_period_within_rules' refusal
    signed = signature_date(ctx)
    start = ctx.data.get("implementation_start") or default_start(signed, ctx.now)
    first = start.date()
    last = (add_months(start, ctx.project.implementation_months) - timedelta(days=1)).date()
    period = f"{_day(first)} to {_day(last)}"
    rta = member_on(ctx.session, ctx.project.id, "rta", first) or member_on(
        ctx.session, ctx.project.id, "rta", ctx.now.date()
    )
    if rta is None:
        return (
            "A Twinning contract needs a named Resident Twinning Adviser whose secondment covers "
            f"the implementation period ({period}); record the RTA on the project's team first."
        )
    if rta.secondment_start is None or rta.secondment_end is None:
        return f"The RTA {rta.name} has no secondment dates; record them on the project's team."
    if rta.secondment_start > first or rta.secondment_end < last:
        return (
            f"The RTA {rta.name} is seconded from {_day(rta.secondment_start)} to "
            f"{_day(rta.secondment_end)}, which does not cover the implementation period "
            f"({period})."
        )
    return None
