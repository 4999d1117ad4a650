"""A coordinator waives or moves a deadline from the project page's deadline list; each user
chooses the time zone their reminders count days in."""

from datetime import UTC

from babel.dates import format_datetime
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from twinflow.deadlines.forms import MoveForm, TimeZoneForm, WaiveForm
from twinflow.deadlines.waivers import move_deadline, waive_deadline
from twinflow.extensions import db
from twinflow.i18n import current_language, lazy_gettext
from twinflow.i18n import gettext as _
from twinflow.projects.views import _detail, visible_project
from twinflow.services import get_engine
from twinflow.workflow.errors import Conflict, InvalidData

blueprint = Blueprint("web_deadlines", __name__, template_folder="templates")
DEADLINE = "/projects/<int:project_id>/deadlines/<int:deadline_id>"
# The fields a refusal names, in the words of the page.
FIELD_WORDS = {
    "reason": lazy_gettext("reason"),
    "due_at": lazy_gettext("due at"),
    "deadline": lazy_gettext("deadline"),
}


def _refused(project, what: str, errors: dict, status: int):
    """The project page again, saying which field was refused and why; nothing changed.
    `what` names the refusal ("The waiver was not applied")."""
    db.session.rollback()
    for field, reasons in errors.items():
        name = FIELD_WORDS.get(field, field.replace("_", " "))
        flash(
            _(
                "%(what)s: %(field)s: %(reasons)s",
                what=what,
                field=name,
                reasons="; ".join(map(str, reasons)),
            ),
            "error",
        )
    return _detail(project, None, status)


def _attempt(project, what: str, form, operation, done):
    """`done(title, due)` says what was applied."""
    if not form.validate_on_submit():
        return _refused(project, what, form.errors, 422)
    try:
        deadline = operation()
        db.session.commit()
    except InvalidData as exc:
        return _refused(project, what, exc.errors, 422)
    except Conflict as exc:
        return _refused(project, what, {"deadline": [exc.message]}, 409)
    due = format_datetime(deadline.due_at, "dd MMMM y, HH:mm", locale=current_language())
    flash(done(deadline.title, f"{due} UTC"), "success")
    return redirect(url_for("web_projects.detail", project_id=project.id))


@blueprint.post(f"{DEADLINE}/waive")
@login_required
def waive(project_id: int, deadline_id: int):
    project, form = visible_project(project_id), WaiveForm()
    now = get_engine().clock.now()
    return _attempt(
        project,
        _("The waiver was not applied"),
        form,
        lambda: waive_deadline(
            db.session, current_user, project_id, deadline_id, form.reason.data, now=now
        ),
        lambda title, _due: _(
            "Waived: %(title)s. It will not be reminded or escalated again.", title=title
        ),
    )


@blueprint.post(f"{DEADLINE}/move")
@login_required
def move(project_id: int, deadline_id: int):
    project, form = visible_project(project_id), MoveForm()
    now = get_engine().clock.now()
    return _attempt(
        project,
        _("The move was not applied"),
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
        lambda title, due: _("Moved: %(title)s is now due on %(due)s.", title=title, due=due),
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
            flash(_("Reminders now count days in %(zone)s.", zone=user.time_zone), "success")
            return redirect(url_for("web_deadlines.time_zone"))
        status = 422
    return render_template("deadlines/time_zone.html", form=form), status
