"""The gallery page of a project (its images, uploads, the public toggle and the public page's
filing), and the images themselves: to the project's users, and on public pages those marked
public, with headers that keep a browser from reading them as anything but an image."""

import io

from flask import Blueprint, abort, flash, redirect, send_file, url_for
from flask_login import current_user, login_required

from twinflow.extensions import db
from twinflow.gallery import operations as gallery
from twinflow.gallery.forms import FilingForm, ImageForm, PublicForm
from twinflow.gallery.images import without_metadata
from twinflow.gallery.models import ProjectImage
from twinflow.gallery.permissions import (
    can_add_image,
    can_publish_image,
    can_view_gallery,
    is_shown_publicly,
)
from twinflow.i18n import gettext as _
from twinflow.projects.models import Project
from twinflow.projects.particulars import update_particulars
from twinflow.projects.views import visible_project
from twinflow.records.views import PROJECT, page
from twinflow.reference import reference_for
from twinflow.services import get_engine
from twinflow.web.helpers import apply_engine_errors, choices
from twinflow.workflow.errors import InvalidData, WorkflowError

blueprint = Blueprint("web_gallery", __name__, template_folder="templates")
VARIANTS = ("thumb", "original")
# An image answered alone: no script, no plugin, nothing it could load or run.
IMAGE_POLICY = "default-src 'none'; img-src 'self'; sandbox"


def _filing_form(project, posted: bool = False):
    form = FilingForm() if posted else FilingForm(formdata=None, obj=project)
    reference = reference_for(get_engine())
    form.priority_area.choices = choices(
        [("", _("— none —"))] + [(c, a.label) for c, a in reference.priority_areas.items()]
    )
    form.subsector.choices = choices(
        [("", _("— none —"))]
        + [
            (s.code, f"{a.label}: {s.label}")
            for a in reference.priority_areas.values()
            for s in a.subsectors
        ]
    )
    return form


def _page(project, status=200, image_form=None, filing_form=None):
    # Coordinators and administrators file any project they see (projects/particulars.py).
    may_file = current_user.role in ("coordinator", "admin")
    return page(
        "gallery/gallery.html",
        project,
        "gallery",
        status,
        images=gallery.project_images(db.session, project),
        may_add=can_add_image(current_user, project),
        may_publish=can_publish_image(current_user, project),
        may_file=may_file,
        image_form=image_form or ImageForm(formdata=None),
        filing_form=filing_form or _filing_form(project),
        public_form=PublicForm(formdata=None),
    )


def _gallery_project(project_id: int) -> Project:
    project = visible_project(project_id)
    parties = get_engine().parties(db.session, current_user, project)
    if not can_view_gallery(current_user, project, parties):
        abort(403, _("Only the project's parties see its gallery; its public images are public."))
    return project


@blueprint.get(f"{PROJECT}/gallery")
@login_required
def gallery_page(project_id: int):
    return _page(_gallery_project(project_id))


@blueprint.post(f"{PROJECT}/gallery")
@login_required
def upload(project_id: int):
    project = visible_project(project_id)
    if not can_add_image(current_user, project):
        abort(403, _("Only the beneficiary and the coordinators add images to a project."))
    form = ImageForm()
    if not form.validate_on_submit():
        flash(_("The image was not added: see the form below."), "error")
        return _page(project, 422, image_form=form)
    upload = form.image.data
    try:
        image = gallery.add_image(
            db.session,
            current_user,
            project,
            upload.read(),
            upload.filename,
            form.caption.data,
            get_engine().clock.now(),
        )
    except InvalidData as exc:
        db.session.rollback()
        for message in apply_engine_errors(form, exc.details, {"file": "image"}):
            flash(message, "error")
        flash(_("The image was not added: see the form below."), "error")
        return _page(visible_project(project_id), 422, image_form=form)
    db.session.commit()
    flash(
        _(
            "Image %(filename)s added; it is not public until a coordinator says so.",
            filename=image.filename,
        ),
        "success",
    )
    return redirect(url_for("web_gallery.gallery_page", project_id=project_id), 303)


@blueprint.post(f"{PROJECT}/gallery/<int:image_id>/public")
@login_required
def toggle_public(project_id: int, image_id: int):
    project = visible_project(project_id)
    if not can_publish_image(current_user, project):
        abort(403, _("Only a coordinator marks an image public."))
    form = PublicForm()
    if not form.validate_on_submit() or form.public.data not in ("0", "1"):
        abort(400, _("Say whether the image is public (1) or not (0)."))
    image = _image_of(project, image_id)
    gallery.set_public(
        db.session, current_user, project, image, form.public.data == "1", get_engine().clock.now()
    )
    db.session.commit()
    if image.is_public:
        said = _("Image %(filename)s is shown on the public page.", filename=image.filename)
    else:
        said = _("Image %(filename)s is no longer public.", filename=image.filename)
    flash(said, "success")
    return redirect(url_for("web_gallery.gallery_page", project_id=project_id), 303)


@blueprint.post(f"{PROJECT}/gallery/filing")
@login_required
def filing(project_id: int):
    project = visible_project(project_id)
    if current_user.role not in ("coordinator", "admin"):
        abort(403, _("Only coordinators and administrators file a project for its public page."))
    form = _filing_form(project, posted=True)
    if not form.validate_on_submit():
        return _page(project, 422, filing_form=form)
    changes = {name: form[name].data or None for name in ("priority_area", "subsector", "topic")}
    try:
        changed, _events = update_particulars(
            db.session,
            get_engine(),
            current_user,
            project,
            changes,
            "Filed for the public page" if project.imported_at is not None else None,
        )
    except WorkflowError as exc:
        db.session.rollback()
        if isinstance(exc, InvalidData):
            apply_engine_errors(form, {k: v for k, v in exc.details.items() if isinstance(v, list)})
        flash(_("Nothing was changed: %(reason)s", reason=exc.message), "error")
        return _page(visible_project(project_id), 422, filing_form=form)
    db.session.commit()
    flash(_("The public page's filing is saved.") if changed else _("Nothing changed."), "success")
    return redirect(url_for("web_gallery.gallery_page", project_id=project_id), 303)


@blueprint.get(f"{PROJECT}/gallery/<int:image_id>/<variant>")
@login_required
def image_file(project_id: int, image_id: int, variant: str):
    project = _gallery_project(project_id)
    return _send(_image_of(project, image_id), variant)


@blueprint.get("/public/projects/<int:project_id>/images/<int:image_id>/<variant>")
def public_image(project_id: int, image_id: int, variant: str):
    project = db.session.get(Project, project_id)
    image = db.session.get(ProjectImage, image_id)
    if project is None or image is None or not is_shown_publicly(project, image):
        abort(404, _("There is no such public image."))
    return _send(image, variant)


def _image_of(project, image_id: int) -> ProjectImage:
    image = db.session.get(ProjectImage, image_id)
    if image is None or image.project_id != project.id:
        abort(404, _("There is no image %(id)s on this project.", id=image_id))
    return image


def _send(image: ProjectImage, variant: str):
    if variant not in VARIANTS:
        abort(404, _("An image is offered as thumb or original."))
    thumb = variant == "thumb"
    response = send_file(
        # Uploads are kept without metadata; images stored before that lose it here.
        io.BytesIO(image.thumbnail if thumb else without_metadata(image.data)),
        # The type found in the content when it was uploaded; thumbnails are always JPEG.
        mimetype="image/jpeg" if thumb else image.content_type,
        download_name=("thumb-" + image.filename.rsplit(".", 1)[0] + ".jpg")
        if thumb
        else image.filename,
        as_attachment=False,
        max_age=300,
    )
    response.headers["Content-Security-Policy"] = IMAGE_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
