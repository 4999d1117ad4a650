"""Project Steering Committee meetings, one each quarter of implementation."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.orm import Base, utcnow


class SteeringMeeting(Base):
    __tablename__ = "steering_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    held_on: Mapped[date]
    # The implementation quarter the meeting falls in (1 = the first three months).
    quarter: Mapped[int]
    attendees: Mapped[list] = mapped_column(default=list)
    minutes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<SteeringMeeting {self.id} project={self.project_id} {self.held_on}>"
