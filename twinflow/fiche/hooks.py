"""The effect a lifecycle's `submit_fiche` names: the text as submitted becomes a numbered
revision, frozen with the particulars as they were."""

from twinflow.workflow.effects import EffectContext, effect


@effect("freeze_fiche")
def freeze_fiche(ctx: EffectContext) -> None:
    from twinflow.fiche.operations import freeze_revision

    freeze_revision(ctx.session, ctx.project, ctx.now)
