"""When the partner changes (a re-circulation, the reserve taken up), the leaving Member
State's people leave with it: its project leader, RTA and junior partners stop holding their
roles the day before, so the next lead names its own (a single role is free again) and the old
lead's people sign nothing more. Their entries stay as history, shown to the project's other
parties and to their own Member State, never to a rival (who bid against their proposal)."""

from datetime import timedelta

from sqlalchemy import or_, select

from twinflow.audit.operations import append_event
from twinflow.team.models import TeamMember
from twinflow.workflow.hooks import effect

# The roles filled from the Member State side of a partnership.
PARTNER_ROLES = ("ms_project_leader", "rta", "junior_ms_partner")


@effect("end_partner_team")
def end_partner_team(ctx) -> None:
    """Runs before the effect that clears or replaces the lead (it reads the leaving one)."""
    leaving = ctx.project.lead_member_state
    if leaving is None:
        return
    today = ctx.now.date()
    members = ctx.session.scalars(
        select(TeamMember).where(
            TeamMember.project_id == ctx.project.id,
            TeamMember.role.in_(PARTNER_ROLES),
            or_(TeamMember.ends_on.is_(None), TeamMember.ends_on >= today),
        )
    ).all()
    if not members:
        return
    for member in members:
        member.ends_on = today - timedelta(days=1)
        member.withdrawn_with = leaving  # for who may see them (visible_team)
    ctx.session.flush()
    append_event(
        ctx.session,
        action="partner_team_ended",
        now=ctx.now,
        actor=ctx.actor,
        project_id=ctx.project.id,
        data={"members": [m.id for m in members], "roles": [m.role for m in members]},
    )


def visible_team(members: list[TeamMember], project, user) -> list[TeamMember]:
    """A withdrawn partner's people are shown to the project's other parties and to their own
    Member State, never to another Member State (a rival that bid against them)."""
    if getattr(user, "role", None) != "member_state":
        return members
    return [m for m in members if m.withdrawn_with in (None, user.country)]
