"""The project team: both project leaders, the Resident Twinning Adviser and counterpart,
junior Member State partners. A member holds the role from `starts_on` to `ends_on` (both
inclusive, open when None); a replacement ends the old member the day before the new one
starts, so the history stays and the rights move on the date the change takes effect."""

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
    # The member's account, where one exists (found by e-mail when the member is recorded).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The RTA's secondment; both dates inclusive.
    secondment_start: Mapped[date | None]
    secondment_end: Mapped[date | None]
    # In the role from/until (inclusive); None: from the start / still in it.
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    # A recorded deputy may take the member's personal steps (sign in their place).
    # The lead whose withdrawal ended this member (team/partners.py): not shown to rivals.
    withdrawn_with: Mapped[str | None] = mapped_column(String(2))
    deputy_name: Mapped[str | None] = mapped_column(String(200))
    deputy_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def holds_on(self, day: date) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (
            self.ends_on is None or day <= self.ends_on
        )

    def __repr__(self) -> str:
        return f"<TeamMember {self.id} {self.role} {self.name!r}>"
