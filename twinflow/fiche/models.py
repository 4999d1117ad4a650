"""The fiche's current text and its frozen revisions, with the coordinator's comments."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from twinflow.orm import Base, utcnow


class Fiche(Base):
    """The text being drafted: one row per project, made on the first save (or at upgrade)."""

    __tablename__ = "fiches"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    # {section key: text, or the components as a list}; particulars live on the project.
    sections: Mapped[dict] = mapped_column(default=dict)
    # Optimistic concurrency of the text alone, exposed as the fiche's ETag.
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __mapper_args__ = {"version_id_col": version}


class FicheRevision(Base):
    """What was submitted, frozen: the sections and the particulars as they were then."""

    __tablename__ = "fiche_revisions"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    number: Mapped[int]
    sections: Mapped[dict]
    particulars: Mapped[dict]
    submitted_at: Mapped[datetime]
    returned_at: Mapped[datetime | None]

    comments: Mapped[list["FicheComment"]] = relationship(
        back_populates="revision", order_by="FicheComment.id", lazy="selectin"
    )


class FicheComment(Base):
    """A coordinator's comment on one section of a revision, made when returning it."""

    __tablename__ = "fiche_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("fiche_revisions.id"), index=True)
    section: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    revision: Mapped[FicheRevision] = relationship(back_populates="comments")
