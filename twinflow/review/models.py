"""A Twinning Review Mission of a closed project: planned by a coordinator, its report written
after the mission and approved by another coordinator (workflows/records/review_mission.yaml)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.orm import Base
from twinflow.records.models import RecordMixin


class ReviewMission(RecordMixin, Base):
    __tablename__ = "review_missions"
    record_type = "review_mission"
    # Drafted through the generic record routes (records/generic.py); the report is written
    # after the mission, so it may be empty when the mission is planned.
    record_fields = ("title", "plan", "report")
    optional_fields = ("report",)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    plan: Mapped[str] = mapped_column(Text, default="")
    report: Mapped[str] = mapped_column(Text, default="")
    # The window the workflow's rules set (after_end_months), fixed when it is planned.
    window_opens: Mapped[datetime | None]
    window_closes: Mapped[datetime | None]

    @property
    def label(self) -> str:
        return f"Review mission {self.id}"

    def drafted(self, session, project, workflow, now) -> None:
        """Planned: its window is set from the implementation end, and the report it owes is a
        deadline due when the window closes (met when the report is submitted)."""
        from twinflow.review.window import open_window

        open_window(session, project, workflow, self, now)

    def __repr__(self) -> str:
        return f"<ReviewMission {self.id} {self.state}>"
