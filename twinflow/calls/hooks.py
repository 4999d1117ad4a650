"""The workflow effect that tells the National Contact Points a call round opened."""

from twinflow.workflow.hooks import Context, effect


@effect("notify_contact_points")
def notify_contact_points(ctx: Context) -> None:
    from twinflow.calls.operations import notify_contact_points as notify

    notify(ctx.session, ctx.project, ctx.now, ctx.link)
