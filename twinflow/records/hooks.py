"""The effects every record workflow shares, registered in the engine's one effect registry
(twinflow/workflow/hooks.py) like each feature's own (reports/hooks.py, changes/hooks.py)."""

from twinflow.workflow.hooks import Context, effect


@effect("stamp_submitted")
def stamp_submitted(ctx: Context) -> None:
    ctx.record.submitted_at = ctx.now


@effect("stamp_decided")
def stamp_decided(ctx: Context) -> None:
    ctx.record.decided_at = ctx.now
    ctx.record.decided_by_id = ctx.actor.id
    ctx.record.decision_comment = ctx.comment


@effect("new_signing_round")
def new_signing_round(ctx: Context) -> None:
    # A returned record must be signed again: earlier signatures were on the old content.
    ctx.record.signing_round += 1
