"""An image of a project: the original as uploaded (less the metadata that could place or name
the photographer), a thumbnail made from it, and whether a coordinator marked it public."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.orm import Base, one_of, utcnow

# The formats accepted, judged from the content (never the name or the client's type).
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class ProjectImage(Base):
    __tablename__ = "project_images"
    __table_args__ = (
        CheckConstraint(one_of("content_type", tuple(CONTENT_TYPES.values())), "image_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    # The sanitised name offered on download; never used as a path.
    filename: Mapped[str] = mapped_column(String(255))
    caption: Mapped[str] = mapped_column(String(300), default="")
    content_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int]
    height: Mapped[int]
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # Kept in the database (a few MB at most): every web machine serves them, and the
    # database backup holds them. Deferred: lists never load the bytes.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    is_public: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<ProjectImage {self.id} {self.filename!r} public={self.is_public}>"
