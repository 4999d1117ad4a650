"""Activities of the work plan: expert missions, trainings, study visits ... planned and actual."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.orm import Base, one_of, utcnow

ACTIVITY_KINDS = (
    "expert_mission",
    "training",
    "workshop",
    "study_visit",
    "internship",
    "counselling",
)
ACTIVITY_STATUSES = ("planned", "ongoing", "done", "cancelled")


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint(one_of("kind", ACTIVITY_KINDS), "activity_kind"),
        CheckConstraint(one_of("status", ACTIVITY_STATUSES), "activity_status"),
        CheckConstraint("planned_end >= planned_start", "activity_planned_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    component_id: Mapped[int | None] = mapped_column(ForeignKey("components.id"))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    planned_start: Mapped[date]
    planned_end: Mapped[date]
    actual_start: Mapped[date | None]
    actual_end: Mapped[date | None]
    experts: Mapped[list] = mapped_column(default=list)
    participants: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(12), default="planned")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.kind} {self.status}>"
