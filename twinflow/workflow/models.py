"""Stored lifecycle definitions, so a project pinned to an old version can always be driven."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.orm import Base, utcnow


class WorkflowVersion(Base):
    __tablename__ = "workflow_versions"

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    # project or record: the same store pins both (a record keeps its workflow's version).
    kind: Mapped[str] = mapped_column(String(10), default="project", server_default="project")
    source: Mapped[str] = mapped_column(Text)
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<WorkflowVersion {self.name} {self.version}>"
