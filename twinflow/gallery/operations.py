"""Adding an image to a project's gallery and marking it public or not: each audited; they
flush, the caller commits."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.gallery.images import check_image, make_thumbnail
from twinflow.gallery.models import ProjectImage
from twinflow.gallery.permissions import can_add_image, can_publish_image
from twinflow.i18n import gettext
from twinflow.projects.models import Project
from twinflow.projects.permissions import is_public
from twinflow.text import control_problem
from twinflow.workflow.errors import InvalidData, NotPermitted

CAPTION_MAX = 300


def add_image(
    session: Session, actor, project: Project, data: bytes, filename: str | None, caption, now
) -> ProjectImage:
    if not can_add_image(actor, project):
        raise NotPermitted(
            gettext("Only the beneficiary and the coordinators add images to a project.")
        )
    caption = (caption or "").strip()
    errors = {}
    problem = control_problem(caption)
    if problem:
        errors["caption"] = [problem]
    elif len(caption) > CAPTION_MAX:
        errors["caption"] = [gettext("must be at most %(count)s characters", count=CAPTION_MAX)]
    try:
        checked = check_image(data, filename)
    except InvalidData as exc:
        errors |= exc.details
    if errors:
        raise InvalidData(errors)
    image = ProjectImage(
        project_id=project.id,
        filename=checked.filename,
        caption=caption,
        content_type=checked.content_type,
        width=checked.width,
        height=checked.height,
        size_bytes=len(checked.data),
        sha256=checked.sha256,
        data=checked.data,
        thumbnail=make_thumbnail(checked.data),
        is_public=False,  # a coordinator decides what the public sees
        uploaded_by_id=actor.id,
        uploaded_at=now,
    )
    session.add(image)
    session.flush()
    append_event(
        session,
        action="image_uploaded",
        now=now,
        actor=actor,
        project_id=project.id,
        data={"image_id": image.id, "filename": image.filename, "sha256": image.sha256},
    )
    return image


def set_public(session: Session, actor, project: Project, image: ProjectImage, public: bool, now):
    if not can_publish_image(actor, project):
        raise NotPermitted(gettext("Only a coordinator marks an image public."))
    if image.is_public == public:
        return image
    image.is_public = public
    session.flush()
    append_event(
        session,
        action="image_published" if public else "image_withdrawn",
        now=now,
        actor=actor,
        project_id=project.id,
        data={"image_id": image.id, "filename": image.filename},
    )
    return image


def project_images(session: Session, project: Project) -> list[ProjectImage]:
    return list(
        session.scalars(
            select(ProjectImage)
            .where(ProjectImage.project_id == project.id)
            .order_by(ProjectImage.uploaded_at, ProjectImage.id)
        )
    )


def public_images(session: Session, project: Project) -> list[ProjectImage]:
    """What the public page shows: nothing of a project without a public page, and only the
    images marked public."""
    if not is_public(project):
        return []
    return list(
        session.scalars(
            select(ProjectImage)
            .where(ProjectImage.project_id == project.id, ProjectImage.is_public.is_(True))
            .order_by(ProjectImage.uploaded_at, ProjectImage.id)
        )
    )
