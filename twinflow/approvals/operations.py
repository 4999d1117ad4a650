"""The one answer to "what waits for me": pending sign-offs across projects and their records
(approvals of project steps, co-signatures of reports, side letters and addenda) in which the
user would decide as one of the parties still owed. The dashboard, the approvals inbox and
the API inbox read it."""

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from twinflow.approvals.models import Signoff
from twinflow.approvals.permissions import can_view_signoff
from twinflow.projects.models import Project
from twinflow.projects.permissions import visible_projects_clause
from twinflow.workflow.parties import parties_on

# The parties a user of each role can possibly be on some project.
ROLE_PARTIES = {
    "coordinator": {"coordinator"},
    "beneficiary": {"beneficiary"},
    "member_state": {"member_state", "lead_member_state"},
    "admin": set(),
}


def involvement_clause(user):
    """Projects where a Member State user is the lead partner; all visible ones for others."""
    if user.role != "member_state":
        return visible_projects_clause(user)
    return and_(visible_projects_clause(user), Project.lead_member_state == user.country)


def owed_by(signoff: Signoff, user, mine: list[str]) -> list[str]:
    """The parties this user would still decide as on the sign-off; empty: it does not wait
    for them. The one rule behind the inbox, the dashboard and the API's `awaiting_you`."""
    if signoff.status != "pending" or any(d.user_id == user.id for d in signoff.decisions):
        return []
    return [p for p in signoff.owed_parties if p in mine]


def pending_signoffs_for(session: Session, user, limit: int | None = 50):
    """[(sign-off, project, parties I would decide as)], oldest first, for every pending
    sign-off I may read and on which one of my parties is still owed."""
    if not ROLE_PARTIES.get(user.role):
        return []
    return owed_rows(session.execute(pending_statement(user, limit)).all(), user)


def pending_statement(user, limit: int | None):
    """pending_signoffs_for's statement: it reads of the user what involvement_clause reads
    (the dashboard keeps it per kind of reader, web/queries.py)."""
    query = (
        select(Signoff, Project)
        .join(Project, Project.id == Signoff.project_id)
        .where(Signoff.status == "pending", involvement_clause(user))
        .order_by(Signoff.created_at, Signoff.id)
    )
    return query if limit is None else query.limit(limit)


def owed_rows(rows, user) -> list:
    """[(sign-off, project, parties I would decide as)] of pending_statement's rows: those
    owed by me that I may read."""
    out = []
    for signoff, project in rows:
        mine = parties_on(user, project)
        owed = owed_by(signoff, user, mine)
        if owed and can_view_signoff(user, project, signoff, mine):
            out.append((signoff, project, owed))
    return out
