"""The model of the test-only mission report: a table and the RecordMixin, nothing else. It
lives on its own metadata, so the application's schema (and its migrations) never see it."""

from datetime import datetime

from sqlalchemy import ForeignKey, MetaData, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from twinflow.orm import UTCDateTime
from twinflow.records.models import RecordMixin


class OwnTables(DeclarativeBase):
    metadata = MetaData()
    type_annotation_map = {datetime: UTCDateTime}


class MissionReport(RecordMixin, OwnTables):
    __tablename__ = "mission_reports"
    record_type = "mission_report"
    record_fields = ("title", "summary")

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")


def create_table(bind) -> None:
    """The table in the test's database, its foreign keys resolved against the real tables."""
    for name in ("users", "projects"):
        if name not in OwnTables.metadata.tables:
            Table(name, OwnTables.metadata, autoload_with=bind)
    MissionReport.__table__.create(bind)
