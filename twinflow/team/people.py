"""Who holds a team role on a given day, and the users who may take that person's steps: the
member's account and the recorded deputy's. Rights follow the dates, so a replacement moves
them on the day it takes effect without touching the member it replaces."""

from datetime import date

from sqlalchemy import bindparam, event, func, or_, select
from sqlalchemy.orm import Session

from twinflow.auth.models import User
from twinflow.i18n import lazy_gettext
from twinflow.team.models import TeamMember
from twinflow.workflow.hooks import STEP_READS, Holder

ROLE_TITLES = {
    "ms_project_leader": "the Member State project leader",
    "bc_project_leader": "the beneficiary's project leader",
    "rta": "the Resident Twinning Adviser",
    "rta_counterpart": "the RTA counterpart",
    "junior_ms_partner": "a junior Member State partner",
}


# The same titles in the reader's language, for the sentences that name who holds a role.
THE_ROLE = {
    "ms_project_leader": lazy_gettext("the Member State project leader"),
    "bc_project_leader": lazy_gettext("the beneficiary's project leader"),
    "rta": lazy_gettext("the Resident Twinning Adviser"),
    "rta_counterpart": lazy_gettext("the RTA counterpart"),
    "junior_ms_partner": lazy_gettext("a junior Member State partner"),
}


def holding(session, project_id: int, role: str, day: date):
    """The members in `role` on `day` (a single role has at most one). Within an engine step
    the project's team is read once: the person-bound slots and the RTA guard of a contract
    signature each asked for it (any flush of a team member drops that read)."""
    reads = session.info.get(STEP_READS)
    if reads is not None and not _team_unflushed(session):
        team = reads.get(("team", project_id))
        if team is None:
            team = reads[("team", project_id)] = _whole_team(session, project_id)
        return [
            m
            for m in team
            if m.role == role
            and (m.starts_on is None or m.starts_on <= day)
            and (m.ends_on is None or m.ends_on >= day)
        ]
    return list(session.scalars(_HOLDING, {"pid": project_id, "role": role, "day": day}))


# holding's statement outside a step, built once: building it and its cache key each call was
# about a third of the dashboard's options for a contract's candidate (the RTA guard).
_HOLDING = (
    select(TeamMember)
    .where(
        TeamMember.project_id == bindparam("pid"),
        TeamMember.role == bindparam("role"),
        or_(TeamMember.starts_on.is_(None), TeamMember.starts_on <= bindparam("day")),
        or_(TeamMember.ends_on.is_(None), TeamMember.ends_on >= bindparam("day")),
    )
    .order_by(TeamMember.starts_on.desc().nulls_last(), TeamMember.id.desc())
)


def _whole_team(session, project_id: int) -> list[TeamMember]:
    """Every member of the project, latest appointed first (as `holding` orders them)."""
    members = session.scalars(_WHOLE_TEAM, {"pid": project_id})
    by_id = sorted(members, key=lambda m: m.id, reverse=True)
    dated = sorted((m for m in by_id if m.starts_on), key=lambda m: m.starts_on, reverse=True)
    return dated + [m for m in by_id if not m.starts_on]


# _whole_team's statement, built once (it runs in every move that asks who holds a role).
_WHOLE_TEAM = select(TeamMember).where(TeamMember.project_id == bindparam("pid"))


def _team_unflushed(session) -> bool:
    """A team member added, changed or removed and not yet flushed (a query would flush it
    first; the shared read would not see it)."""
    return any(isinstance(o, TeamMember) for o in (*session.new, *session.dirty, *session.deleted))


@event.listens_for(Session, "before_flush")
def _team_changed(session, _context, _instances) -> None:
    reads = session.info.get(STEP_READS)
    if reads and _team_unflushed(session):
        for key in [k for k in reads if k[0] == "team"]:
            del reads[key]


def member_on(session, project_id: int, role: str, day: date) -> TeamMember | None:
    found = holding(session, project_id, role, day)
    return found[0] if found else None


def account_of(session, email: str | None) -> int | None:
    """The active account with this e-mail, if there is one."""
    if not email:
        return None
    return session.scalar(
        select(User.id).where(func.lower(User.email) == email.lower(), User.is_active.is_(True))
    )


def follow_email(session, user: User, old_email: str) -> list[int]:
    """A user's e-mail changed: the team members recorded with the old one take the new one
    and the account's id, so they stay linked. Returns their ids."""
    members = list(
        session.scalars(
            select(TeamMember).where(
                func.lower(TeamMember.email) == old_email.lower(),
                or_(TeamMember.user_id.is_(None), TeamMember.user_id == user.id),
            )
        )
    )
    for member in members:
        member.email, member.user_id = user.email, user.id
    return [m.id for m in members]


def named_on(session, user: User, day: date) -> list[tuple]:
    """[(project, role title)] the user holds a named role on, from `day` on, in projects
    still running: the steps only that person (or a deputy) may take there."""
    from twinflow.projects.models import Project

    rows = session.execute(
        select(Project, TeamMember.role)
        .join(Project, Project.id == TeamMember.project_id)
        .where(
            or_(TeamMember.user_id == user.id, func.lower(TeamMember.email) == user.email),
            or_(TeamMember.ends_on.is_(None), TeamMember.ends_on >= day),
            Project.state.not_in(("closed", "cancelled")),
        )
        .order_by(Project.reference, TeamMember.role)
    ).all()
    return [(project, THE_ROLE[role]) for project, role in rows]


def _active(session, user_id: int | None) -> int | None:
    if user_id is None:
        return None
    user = session.get(User, user_id)
    return user_id if user is not None and user.is_active else None


def holder(session, project, role: str, day: date) -> Holder:
    member = member_on(session, project.id, role, day)
    title = THE_ROLE[role]  # read in the language of whoever is told
    if member is None:
        return Holder(title)
    own = _active(session, member.user_id) or account_of(session, member.email)
    deputy = _active(session, member.deputy_user_id)
    return Holder(
        title,
        member.name,
        frozenset(u for u in (own, deputy) if u is not None),
        member.deputy_name if deputy is not None else None,
        has_account=own is not None,
    )
