"""The project team: both project leaders, the Resident Twinning Adviser and counterpart,
junior Member State partners."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.orm import Base, one_of, utcnow

TEAM_ROLES = (
    "ms_project_leader",
    "bc_project_leader",
    "rta",
    "rta_counterpart",
    "junior_ms_partner",
)


class TeamMember(Base):
    __tablename__ = "team_members"
    __table_args__ = (CheckConstraint(one_of("role", TEAM_ROLES), "team_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str | None] = mapped_column(String(2))
    email: Mapped[str | None] = mapped_column(String(254))
    # The RTA's secondment; both dates inclusive.
    secondment_start: Mapped[date | None]
    secondment_end: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<TeamMember {self.id} {self.role} {self.name!r}>"
