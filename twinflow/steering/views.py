"""The steering committee page of a project: meetings held, quarters overdue, and a form to
record a meeting once it is held."""

from flask import Blueprint, redirect, url_for
from flask_login import current_user, login_required

from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.projects.views import visible_project
from twinflow.records.forms import values_of
from twinflow.records.views import PROJECT, attempt, page
from twinflow.services import get_engine
from twinflow.steering import operations as steering
from twinflow.steering.forms import MeetingForm

blueprint = Blueprint("web_steering", __name__, template_folder="templates")


@blueprint.get(f"{PROJECT}/steering")
@login_required
def steering_page(project_id: int):
    return _steering(visible_project(project_id))


def _steering(project, form=None, status=200):
    engine = get_engine()
    return page(
        "steering/steering.html",
        project,
        "steering",
        status,
        meetings=steering.meetings(db.session, engine, current_user, project.id),
        overdue=steering.overdue_meetings(db.session, engine, current_user, project.id),
        open_for_changes=project.state in steering.MEETING_STATES,
        form=form or MeetingForm(formdata=None),
    )


@blueprint.post(f"{PROJECT}/steering")
@login_required
def record_meeting(project_id: int):
    project, form = visible_project(project_id), MeetingForm()
    if not form.validate_on_submit():
        return _steering(project, form, 422)
    outcome = attempt(
        lambda: steering.record_meeting(
            db.session, get_engine(), current_user, project_id, values_of(form)
        ),
        form,
        _("Meeting recorded."),
    )
    if outcome is True:
        return redirect(url_for("web_steering.steering_page", project_id=project_id))
    return _steering(project, form, outcome)
