"""The named persons a sign-off may wait for: `signoff: [{party: lead_member_state, person:
ms_project_leader}]` (that party's slot) or `signoff: {person: ms_project_leader}` (the step
alone): the team member in that role on the day, through their account or their deputy's."""

from datetime import timedelta

from babel.dates import format_date

from twinflow.deadlines.guards import default_start, signature_date
from twinflow.i18n import current_language, gettext
from twinflow.team import changes as _changes  # noqa: F401 - registers the team changes
from twinflow.team import partners as _partners  # noqa: F401 - registers end_partner_team
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
    return format_date(moment, "d MMM y", locale=current_language())


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
    # Worded only for a refusal (Babel's date formatting cost more than the check itself).
    period = lambda: gettext("%(start)s to %(end)s", start=_day(first), end=_day(last))  # noqa: E731
    rta = member_on(ctx.session, ctx.project.id, "rta", first) or member_on(
        ctx.session, ctx.project.id, "rta", ctx.now.date()
    )
    if rta is None:
        return gettext(
            "A Twinning contract needs a named Resident Twinning Adviser whose secondment covers "
            "the implementation period (%(period)s); record the RTA on the project's team first.",
            period=period(),
        )
    if rta.secondment_start is None or rta.secondment_end is None:
        return gettext(
            "The RTA %(name)s has no secondment dates; record them on the project's team.",
            name=rta.name,
        )
    if rta.secondment_start > first or rta.secondment_end < last:
        return gettext(
            "The RTA %(name)s is seconded from %(start)s to %(end)s, which does not cover the "
            "implementation period (%(period)s).",
            name=rta.name,
            start=_day(rta.secondment_start),
            end=_day(rta.secondment_end),
            period=period(),
        )
    return None
