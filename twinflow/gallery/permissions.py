"""Who adds images to a project, who marks them public, and what a public page may show."""

from twinflow.gallery.models import ProjectImage
from twinflow.projects.models import Project
from twinflow.projects.permissions import can_view_project, is_public
from twinflow.records.permissions import can_view_records


def _active(user) -> bool:
    return user is not None and getattr(user, "is_active", False)


def can_view_gallery(user, project: Project, parties: list[str]) -> bool:
    """The project's own parties and administrators, as its records: a Member State that
    was not selected sees the images marked public, on the public page."""
    return _active(user) and can_view_records(user, project, parties)


def _sees(user, project) -> bool:
    return _active(user) and can_view_project(user, project)


def can_add_image(user, project: Project) -> bool:
    """The beneficiary administration and the coordinators who see the project."""
    return _sees(user, project) and user.role in ("coordinator", "beneficiary")


def can_publish_image(user, project: Project) -> bool:
    """Marking an image public (or not) is a coordinator's decision."""
    return _sees(user, project) and user.role == "coordinator"


def is_shown_publicly(project: Project, image: ProjectImage) -> bool:
    """Only an image marked public, of a project that has a public page."""
    return image.project_id == project.id and image.is_public and is_public(project)
