"""Named guards a definition may attach to transitions. Each returns None, or why it refuses."""

from functools import cache

from sqlalchemy import bindparam, func, select

from twinflow.i18n import gettext as _
from twinflow.workflow.hooks import GUARDS, Guard, guard, remembered
from twinflow.workflow.hooks import Context as GuardContext

__all__ = ["GUARDS", "Guard", "GuardContext", "guard"]


# The guards' statements are built once, with bind parameters (they run on every move that
# checks them; building and keying a statement cost more Python than running it). Built on
# first use: the models import the engine.
@cache
def _round_proposals_statement():
    from twinflow.proposals.models import Proposal
    from twinflow.selection.models import SelectionAssessment

    return (
        select(Proposal, SelectionAssessment)
        .outerjoin(SelectionAssessment, SelectionAssessment.proposal_id == Proposal.id)
        .where(Proposal.project_id == bindparam("pid"), Proposal.call_round == bindparam("round"))
        .order_by(Proposal.member_state)
        # Fresh values for proposals this session held before the lock.
        .execution_options(populate_existing=True)
    )


@cache
def _report_states_statement():
    from twinflow.reports.models import Report

    return (
        select(Report.kind, Report.number, Report.state)
        .where(Report.project_id == bindparam("pid"))
        .order_by(Report.id)
    )


@cache
def _proposal_count_statement():
    from twinflow.proposals.models import Proposal

    return select(func.count(Proposal.id)).where(
        Proposal.project_id == bindparam("pid"), Proposal.call_round == bindparam("round")
    )


def round_proposals(ctx: GuardContext) -> list:
    """The proposals of the current call round, by Member State: read once per move."""
    project = ctx.project

    def read():
        # With each proposal's selection assessment (at most one), which the selection guard
        # asks for next: one statement, not two.
        rows = ctx.session.execute(
            _round_proposals_statement(), {"pid": project.id, "round": project.call_round}
        ).all()
        for proposal, assessment in rows:
            ctx.memo[("assessment", proposal.id)] = assessment
        return [proposal for proposal, _ in rows]

    return remembered(ctx, ("round_proposals", project.id, project.call_round), read)


def selected_proposals(ctx: GuardContext) -> list:
    return [p for p in round_proposals(ctx) if p.is_selected]


def report_states(ctx: GuardContext) -> list[tuple[str, int | None, str]]:
    """(kind, number, state) of the project's reports: read once for closure's two guards."""

    def read():
        rows = ctx.session.execute(_report_states_statement(), {"pid": ctx.project.id})
        return [tuple(row) for row in rows]

    return remembered(ctx, ("report_states", ctx.project.id), read)


def _proposal_count(ctx: GuardContext) -> int:
    return ctx.session.scalar(
        _proposal_count_statement(), {"pid": ctx.project.id, "round": ctx.project.call_round}
    )


@guard("proposal_deadline_passed")
def proposal_deadline_passed(ctx: GuardContext) -> str | None:
    deadline = ctx.project.proposal_deadline
    if deadline is None:  # an imported call whose deadline the source did not state
        return _("The call has no proposal deadline on record.")
    if ctx.now < deadline:
        when = deadline.strftime("%Y-%m-%d %H:%M")
        return _("The call is open until the proposal deadline (%(deadline)s UTC).", deadline=when)
    return None


@guard("has_proposals")
def has_proposals(ctx: GuardContext) -> str | None:
    if _proposal_count(ctx) == 0:
        return _("No Member State has submitted a proposal in this call; re-circulate the fiche.")
    return None


@guard("has_no_proposals")
def has_no_proposals(ctx: GuardContext) -> str | None:
    if _proposal_count(ctx) > 0:
        return _("Proposals were received in this call; close the call and proceed to selection.")
    return None


@guard("one_proposal_selected")
def one_proposal_selected(ctx: GuardContext) -> str | None:
    selected = len(selected_proposals(ctx))
    if selected != 1:
        return _("Exactly one proposal must be marked selected; %(count)s are.", count=selected)
    return None


@guard("selected_proposal_fits_rules")
def selected_proposal_fits_rules(ctx: GuardContext) -> str | None:
    selected = selected_proposals(ctx)
    if not selected:
        return _("No proposal is selected.")
    proposal = selected[0]
    problems = ctx.definition.rules.proposal_problems(
        proposal.junior_member_states, proposal.rta_name
    )
    return "; ".join(problems) or None


@guard("implementation_period_within_rules")
def implementation_period_within_rules(ctx: GuardContext) -> str | None:
    problems = ctx.definition.rules.project_problems(
        ctx.project.budget_eur, ctx.project.implementation_months
    )
    # An imported record may lack them; the contract cannot start an unknown period.
    for name in ("budget_eur", "implementation_months"):
        if getattr(ctx.project, name) is None:
            problems[name] = _("is not known: complete the project's particulars first")
    return "; ".join(f"{field}: {reason}" for field, reason in problems.items()) or None


@guard("final_report_approved")
def final_report_approved(ctx: GuardContext) -> str | None:
    state = next((st for kind, _n, st in report_states(ctx) if kind == "final"), None)
    if state != "approved":
        if state is None:
            return _("No final report has been drafted; it must be co-signed and approved first.")
        return _(
            "The final report is %(state)s; it must be approved before the project closes.",
            state=state,
        )
    return None


# Guards kept with the feature they protect register themselves on import.
from twinflow.deadlines import guards as _date_guards  # noqa: E402, F401
