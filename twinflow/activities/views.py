"""The activities page of a project: the work plan's activities on their timeline, planned and
then updated with what actually happened."""

from flask import Blueprint, redirect, url_for
from flask_login import current_user, login_required

from twinflow.activities import operations as activities
from twinflow.activities.forms import KIND_LABELS, STATUS_LABELS, ActivityForm, ActivityUpdateForm
from twinflow.activities.gantt import gantt_svg
from twinflow.activities.models import Activity
from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.projects.views import visible_project
from twinflow.records.forms import values_of
from twinflow.records.views import PROJECT, attempt, owned, page
from twinflow.services import get_engine

blueprint = Blueprint("web_activities", __name__, template_folder="templates")


@blueprint.app_template_filter("activity_kind")
def activity_kind(code: str) -> str:
    return str(KIND_LABELS.get(code, code))


@blueprint.app_template_filter("activity_status")
def activity_status(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))


@blueprint.get(f"{PROJECT}/activities")
@login_required
def activities_page(project_id: int):
    return _activities(visible_project(project_id))


def _activities(project, forms=None, status=200):
    engine = get_engine()
    timeline = activities.timeline(db.session, engine, current_user, project.id)
    forms = forms or {}
    return page(
        "activities/activities.html",
        project,
        "activities",
        status,
        timeline=timeline,
        gantt=gantt_svg(timeline, engine.clock.now().date(), width=1100),
        open_for_changes=project.state in activities.ACTIVITY_STATES,
        plan_form=forms.get("plan") or ActivityForm(formdata=None, prefix="plan"),
        update_forms={
            bar.activity.id: forms.get(f"a{bar.activity.id}")
            or ActivityUpdateForm(formdata=None, prefix=f"a{bar.activity.id}", obj=bar.activity)
            for bar in timeline.bars
        },
    )


@blueprint.post(f"{PROJECT}/activities")
@login_required
def plan_activity(project_id: int):
    project, form = visible_project(project_id), ActivityForm(prefix="plan")
    if not form.validate_on_submit():
        return _activities(project, {"plan": form}, 422)
    outcome = attempt(
        lambda: activities.plan_activity(
            db.session, get_engine(), current_user, project_id, values_of(form)
        ),
        form,
        _("Activity planned."),
    )
    if outcome is True:
        return redirect(url_for("web_activities.activities_page", project_id=project_id))
    return _activities(project, {"plan": form}, outcome)


@blueprint.post(f"{PROJECT}/activities/<int:activity_id>")
@login_required
def update_activity(project_id: int, activity_id: int):
    project = visible_project(project_id)
    owned(Activity, activity_id, project_id, "activity")
    key = f"a{activity_id}"
    form = ActivityUpdateForm(prefix=key)
    if not form.validate_on_submit():
        return _activities(project, {key: form}, 422)
    outcome = attempt(
        lambda: activities.update_activity(
            db.session, get_engine(), current_user, activity_id, values_of(form)
        ),
        form,
        _("Activity updated."),
    )
    if outcome is True:
        return redirect(url_for("web_activities.activities_page", project_id=project_id))
    return _activities(project, {key: form}, outcome)
