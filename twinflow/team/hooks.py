"""The named persons a sign-off may wait for (`signoff: {person: ms_project_leader}`): the user
whose e-mail is that of the project's team member in this role."""

from sqlalchemy import func, select

from twinflow.auth.models import User
from twinflow.team.models import TEAM_ROLES, TeamMember
from twinflow.workflow.hooks import person


def _member_user(role: str):
    def resolve(session, project) -> int | None:
        return session.scalar(
            select(User.id)
            .join(TeamMember, func.lower(TeamMember.email) == func.lower(User.email))
            .where(
                TeamMember.project_id == project.id,
                TeamMember.role == role,
                User.is_active.is_(True),
            )
            .order_by(TeamMember.id)
            .limit(1)
        )

    return resolve


for _role in TEAM_ROLES:
    person(_role)(_member_user(_role))
