"""Implementation pages of a project: progress (results and indicators), activities with their
timeline, team and steering committee. Every form posts to the operations; their refusals come
back next to the field or as a message at the top, and nothing is changed."""

import re

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from twinflow.activities import operations as activities
from twinflow.activities.gantt import gantt_svg
from twinflow.activities.models import Activity
from twinflow.error_handling import status_of
from twinflow.extensions import db
from twinflow.implementation.forms import (
    CHANGE_LABELS,
    TEAM_ROLE_LABELS,
    ActivityForm,
    ActivityUpdateForm,
    ComponentForm,
    IndicatorForm,
    IndicatorValueForm,
    MeetingForm,
    ResultForm,
    TeamMemberForm,
    values_of,
)
from twinflow.projects.views import visible_project
from twinflow.records.permissions import can_manage_records, can_view_records
from twinflow.results import operations as results
from twinflow.results.models import Component, Indicator, MandatoryResult
from twinflow.services import get_engine
from twinflow.steering import operations as steering
from twinflow.team import operations as team
from twinflow.web.helpers import apply_engine_errors
from twinflow.workflow.errors import InvalidData, NotFound, WorkflowError

blueprint = Blueprint("web_records", __name__, template_folder="templates")
PROJECT = "/projects/<int:project_id>"


@blueprint.app_template_filter("figure")
def figure(value) -> str:
    """An indicator's number without needless decimals: 120, 12.5, 1,500."""
    if value is None:
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


@blueprint.app_template_filter("filesize")
def filesize(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    return f"{max(1, round(count / 1024))} KB" if count >= 1024 else f"{count} bytes"


def page(template: str, project, tab: str, status: int = 200, **context):
    engine = get_engine()
    parties = engine.parties(db.session, current_user, project)
    body = render_template(
        f"implementation/{template}",
        project=project,
        tab=tab,
        state_name=engine.definition_of(db.session, project).states[project.state].label,
        can_manage=can_manage_records(parties),
        records_visible=can_view_records(current_user, project, parties),
        parties=parties,
        now=engine.clock.now(),
        **context,
    )
    return body, status


def _labels(form) -> dict[str, str]:
    """{field name: its label inside a sentence}: planned_start -> "planned start"."""
    out = {name: label[:1].lower() + label[1:] for name, label in CHANGE_LABELS.items()}
    for field in form or ():
        label = field.label.text if field.label else ""
        if label and field.short_name != "csrf_token":
            out[field.short_name] = label[:1].lower() + label[1:]
    return out


def in_words(message: str, labels: dict[str, str]) -> str:
    """The operations name fields as the API does (planned_start); a page names them as its
    form labels them ("must not be before planned start")."""
    for name, label in labels.items():
        if "_" in name:  # one-word names ("title") are ordinary words in a sentence
            message = re.sub(rf"\b{re.escape(name)}\b", label, message)
    return message


def attempt(operation, form=None, success: str | None = "Saved.", error_map=None):
    """Runs an operation. True when it applied (and says so); otherwise the refusal is shown:
    field errors on the form, the rest as a message; nothing was changed."""
    try:
        operation()
    except NotFound:
        raise
    except WorkflowError as exc:
        leftover = []
        labels = _labels(form)
        if isinstance(exc, InvalidData) and form is not None:
            details = {
                key: [in_words(str(r), labels) for r in (v if isinstance(v, list) else [v])]
                for key, v in exc.details.items()
            }
            leftover = [in_words(m, labels) for m in apply_engine_errors(form, details, error_map)]
        elif isinstance(exc, InvalidData):
            leftover = [
                f"{k}: {'; '.join(in_words(str(r), labels) for r in v)}"
                for k, v in exc.details.items()
            ]
        flash(f"Not saved: {exc.message}" if not leftover else "Not saved:", "error")
        for message in leftover:
            flash(message, "error")
        return status_of(exc)
    if success:
        flash(success, "success")
    return True


def owned(model, record_id: int, project_id: int, what: str):
    record = db.session.get(model, record_id)
    found = record
    if isinstance(record, Indicator):
        found = record.result.component
    elif isinstance(record, MandatoryResult):
        found = record.component
    if record is None or found.project_id != project_id:
        raise NotFound(f"There is no {what} {record_id} on this project.")
    return record


# -- progress: components, mandatory results, indicators -------------------------------------


@blueprint.get(f"{PROJECT}/progress")
@login_required
def progress(project_id: int):
    return _progress(visible_project(project_id))


def _progress(project, forms=None, status=200):
    engine = get_engine()
    found = results.progress(db.session, engine, current_user, project.id)
    timeline = activities.timeline(db.session, engine, current_user, project.id)
    forms = forms or {}
    return page(
        "progress.html",
        project,
        "progress",
        status,
        progress=found,
        gantt=gantt_svg(timeline, engine.clock.now().date()),
        defining=project.state in results.DEFINING_STATES,
        measuring=project.state in results.MEASURING_STATES,
        component_form=forms.get("component") or ComponentForm(formdata=None),
        forms=forms,
        ResultForm=ResultForm,
        IndicatorForm=IndicatorForm,
        IndicatorValueForm=IndicatorValueForm,
    )


def _after(project_id: int, outcome, project, key, form, render=None):
    if outcome is True:
        return redirect(url_for("web_records.progress", project_id=project_id))
    return (render or _progress)(project, {key: form}, outcome)


@blueprint.post(f"{PROJECT}/components")
@login_required
def add_component(project_id: int):
    project, form = visible_project(project_id), ComponentForm()
    if not form.validate_on_submit():
        return _progress(project, {"component": form}, 422)
    outcome = attempt(
        lambda: results.add_component(
            db.session, get_engine(), current_user, project_id, values_of(form)
        ),
        form,
        "Component added.",
    )
    return _after(project_id, outcome, project, "component", form)


@blueprint.post(f"{PROJECT}/components/<int:component_id>/results")
@login_required
def add_result(project_id: int, component_id: int):
    project = visible_project(project_id)
    owned(Component, component_id, project_id, "component")
    form = ResultForm(prefix=f"c{component_id}")
    key = f"c{component_id}"
    if not form.validate_on_submit():
        return _progress(project, {key: form}, 422)
    outcome = attempt(
        lambda: results.add_result(
            db.session, get_engine(), current_user, component_id, values_of(form)
        ),
        form,
        "Mandatory result added.",
    )
    return _after(project_id, outcome, project, key, form)


@blueprint.post(f"{PROJECT}/results/<int:result_id>/indicators")
@login_required
def add_indicator(project_id: int, result_id: int):
    project = visible_project(project_id)
    owned(MandatoryResult, result_id, project_id, "mandatory result")
    key = f"r{result_id}"
    form = IndicatorForm(prefix=key)
    if not form.validate_on_submit():
        return _progress(project, {key: form}, 422)
    outcome = attempt(
        lambda: results.add_indicator(
            db.session, get_engine(), current_user, result_id, values_of(form)
        ),
        form,
        "Indicator added.",
    )
    return _after(project_id, outcome, project, key, form)


@blueprint.post(f"{PROJECT}/indicators/<int:indicator_id>")
@login_required
def record_value(project_id: int, indicator_id: int):
    project = visible_project(project_id)
    owned(Indicator, indicator_id, project_id, "indicator")
    key = f"i{indicator_id}"
    form = IndicatorValueForm(prefix=key)
    if not form.validate_on_submit():
        return _progress(project, {key: form}, 422)
    outcome = attempt(
        lambda: results.record_indicator_value(
            db.session, get_engine(), current_user, indicator_id, values_of(form)
        ),
        form,
        "Value reached recorded.",
    )
    return _after(project_id, outcome, project, key, form)


# -- activities ------------------------------------------------------------------------------


@blueprint.get(f"{PROJECT}/activities")
@login_required
def activities_page(project_id: int):
    return _activities(visible_project(project_id))


def _activities(project, forms=None, status=200):
    engine = get_engine()
    timeline = activities.timeline(db.session, engine, current_user, project.id)
    forms = forms or {}
    return page(
        "activities.html",
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
        "Activity planned.",
    )
    if outcome is True:
        return redirect(url_for("web_records.activities_page", project_id=project_id))
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
        "Activity updated.",
    )
    if outcome is True:
        return redirect(url_for("web_records.activities_page", project_id=project_id))
    return _activities(project, {key: form}, outcome)


# -- team --------------------------------------------------------------------------------------


@blueprint.get(f"{PROJECT}/team")
@login_required
def team_page(project_id: int):
    return _team(visible_project(project_id))


def _team(project, form=None, status=200):
    members = team.team(db.session, get_engine(), current_user, project.id)
    return page(
        "team.html",
        project,
        "team",
        status,
        members=members,
        role_labels=TEAM_ROLE_LABELS,
        open_for_changes=project.state in team.TEAM_STATES,
        form=form or TeamMemberForm(formdata=None),
    )


@blueprint.post(f"{PROJECT}/team")
@login_required
def add_member(project_id: int):
    project, form = visible_project(project_id), TeamMemberForm()
    if not form.validate_on_submit():
        return _team(project, form, 422)
    outcome = attempt(
        lambda: team.add_team_member(
            db.session, get_engine(), current_user, project_id, values_of(form)
        ),
        form,
        "Team member added.",
    )
    if outcome is True:
        return redirect(url_for("web_records.team_page", project_id=project_id))
    return _team(project, form, outcome)


# -- steering committee ------------------------------------------------------------------------


@blueprint.get(f"{PROJECT}/steering")
@login_required
def steering_page(project_id: int):
    return _steering(visible_project(project_id))


def _steering(project, form=None, status=200):
    engine = get_engine()
    return page(
        "steering.html",
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
        "Meeting recorded.",
    )
    if outcome is True:
        return redirect(url_for("web_records.steering_page", project_id=project_id))
    return _steering(project, form, outcome)
