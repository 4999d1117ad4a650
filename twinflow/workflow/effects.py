"""Named effects a transition applies to the project's own fields after the state changes."""

from datetime import datetime

from twinflow.workflow.durations import add_months
from twinflow.workflow.hooks import EFFECTS, Effect, effect
from twinflow.workflow.hooks import Context as EffectContext

__all__ = ["EFFECTS", "Effect", "EffectContext", "effect"]


def _new_deadline(ctx: EffectContext) -> datetime:
    return ctx.data.get("proposal_deadline") or ctx.definition.rules.proposal_period.after(ctx.now)


@effect("open_call")
def open_call(ctx: EffectContext) -> None:
    ctx.project.circulated_at = ctx.now
    ctx.project.proposal_deadline = _new_deadline(ctx)


@effect("recirculate_call")
def recirculate_call(ctx: EffectContext) -> None:
    """A new call round. From a failed selection, work plan or contract: the chosen Member
    State (if any) stops being the lead at once, and what the later states still asked for
    (the meeting, the decision, the contract) no longer applies. Earlier rounds' proposals
    and decisions stay as they were, under their own round number."""
    from twinflow.deadlines.operations import cancel_left_behind

    project = ctx.project
    cancel_left_behind(ctx.session, project.id, "call_open", ctx.now)
    project.recirculation_count += 1
    project.circulated_at = ctx.now
    project.proposal_deadline = _new_deadline(ctx)
    project.lead_member_state = None


@effect("appoint_lead")
def appoint_lead(ctx: EffectContext) -> None:
    """The bid marked in the current call becomes the partner: its Member State is the lead
    from now on, with the lead's rights. Not when it was marked: the choice still needed the
    approvals of this very transition, and could have been rejected. The guards read the
    selected proposal already (no query here, so the lead is written with the state)."""
    from twinflow.workflow.guards import selected_proposals

    selected = selected_proposals(ctx)
    ctx.project.lead_member_state = selected[0].lead_member_state if selected else None


@effect("start_implementation")
def start_implementation(ctx: EffectContext) -> None:
    # The dates were checked by the contract_dates_plausible guard (deadlines/guards.py).
    from twinflow.deadlines.guards import default_start

    signed = ctx.data.get("contract_signed_at") or ctx.now
    start = ctx.data.get("implementation_start") or default_start(signed, ctx.now)
    ctx.project.contract_signed_at = signed
    ctx.project.implementation_start = start
    ctx.project.implementation_end = add_months(start, ctx.project.implementation_months)


@effect("end_implementation")
def end_implementation(ctx: EffectContext) -> None:
    # Ending early moves the end date to today; the final report deadline follows from it.
    end = ctx.project.implementation_end
    if end is None or end > ctx.now:
        ctx.project.implementation_end = ctx.now


@effect("close_project")
def close_project(ctx: EffectContext) -> None:
    ctx.project.closed_at = ctx.now
