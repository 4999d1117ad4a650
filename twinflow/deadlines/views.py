"""A coordinator waives or moves a deadline from the project page's deadline list; each user
chooses the time zone their reminders count days in."""

from datetime import UTC

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from twinflow.deadlines.forms import MoveForm, TimeZoneForm, WaiveForm
from twinflow.deadlines.waivers import move_deadline, waive_deadline
from twinflow.extensions import db
from twinflow.projects.views import _detail, visible_project
from twinflow.services import get_engine
from twinflow.workflow.errors import Conflict, InvalidData

blueprint = Blueprint("web_deadlines", __name__, template_folder="templates")
DEADLINE = "/projects/<int:project_id>/deadlines/<int:deadline_id>"


def _refused(project, what: str, errors: dict, status: int):
    """The project page again, saying which field was refused and why; nothing changed."""
    db.session.rollback()
    for field, reasons in errors.items():
        flash(f"{what} was not applied: {field.replace('_', ' ')}: {'; '.join(reasons)}", "error")
    return _detail(project, None, status)


def _attempt(project, what: str, form, operation, done: str):
    if not form.validate_on_submit():
        return _refused(project, what, form.errors, 422)
    try:
        deadline = operation()
        db.session.commit()
    except InvalidData as exc:
        return _refused(project, what, exc.errors, 422)
    except Conflict as exc:
        return _refused(project, what, {"deadline": [exc.message]}, 409)
    due = f"{deadline.due_at:%d %B %Y, %H:%M} UTC"
    flash(done.format(title=deadline.title, due=due), "success")
    return redirect(url_for("web_projects.detail", project_id=project.id))


@blueprint.post(f"{DEADLINE}/waive")
@login_required
def waive(project_id: int, deadline_id: int):
    project, form = visible_project(project_id), WaiveForm()
    now = get_engine().clock.now()
    return _attempt(
        project,
        "The waiver",
        form,
        lambda: waive_deadline(
            db.session, current_user, project_id, deadline_id, form.reason.data, now=now
        ),
        "Waived: {title}. It will not be reminded or escalated again.",
    )


@blueprint.post(f"{DEADLINE}/move")
@login_required
def move(project_id: int, deadline_id: int):
    project, form = visible_project(project_id), MoveForm()
    now = get_engine().clock.now()
    return _attempt(
        project,
        "The move",
        form,
        lambda: move_deadline(
            db.session,
            current_user,
            project_id,
            deadline_id,
            form.due_at.data.replace(tzinfo=UTC),
            form.reason.data,
            now=now,
        ),
        "Moved: {title} is now due on {due}.",
    )


@blueprint.route("/account/time-zone", methods=["GET", "POST"])
@login_required
def time_zone():
    user = current_user._get_current_object()
    form = TimeZoneForm(data={"time_zone": user.time_zone})
    status = 200
    if form.is_submitted():
        if form.validate():
            user.time_zone = form.time_zone.data
            db.session.commit()
            flash(f"Reminders now count days in {user.time_zone}.", "success")
            return redirect(url_for("web_deadlines.time_zone"))
        status = 422
    return render_template("deadlines/time_zone.html", form=form), status
