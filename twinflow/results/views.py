"""The progress page of a project: components, mandatory results and their indicators defined
up to the contract, the values reached during implementation, beside the activities' timeline,
the reports and what is overdue."""

from flask import Blueprint, redirect, url_for
from flask_login import current_user, login_required

from twinflow.activities import operations as activities
from twinflow.activities.gantt import gantt_svg
from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.projects.views import visible_project
from twinflow.records.forms import values_of
from twinflow.records.views import PROJECT, attempt, owned, page
from twinflow.results import operations as results
from twinflow.results.forms import ComponentForm, IndicatorForm, IndicatorValueForm, ResultForm
from twinflow.results.models import Component, Indicator, MandatoryResult
from twinflow.services import get_engine

blueprint = Blueprint("web_results", __name__, template_folder="templates")


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
        "results/progress.html",
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
        report_state=lambda r: engine.record_workflow(db.session, r).label_of(r.state),
    )


def _after(project_id: int, outcome, project, key, form):
    if outcome is True:
        return redirect(url_for("web_results.progress", project_id=project_id))
    return _progress(project, {key: form}, outcome)


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
        _("Component added."),
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
        _("Mandatory result added."),
    )
    return _after(project_id, outcome, project, key, form)


@blueprint.post(f"{PROJECT}/results/<int:result_id>/indicators")
@login_required
def add_indicator(project_id: int, result_id: int):
    project = visible_project(project_id)
    owned(MandatoryResult, result_id, project_id, "mandatory result", _project_of_result)
    key = f"r{result_id}"
    form = IndicatorForm(prefix=key)
    if not form.validate_on_submit():
        return _progress(project, {key: form}, 422)
    outcome = attempt(
        lambda: results.add_indicator(
            db.session, get_engine(), current_user, result_id, values_of(form)
        ),
        form,
        _("Indicator added."),
    )
    return _after(project_id, outcome, project, key, form)


@blueprint.post(f"{PROJECT}/indicators/<int:indicator_id>")
@login_required
def record_value(project_id: int, indicator_id: int):
    project = visible_project(project_id)
    owned(Indicator, indicator_id, project_id, "indicator", _project_of_indicator)
    key = f"i{indicator_id}"
    form = IndicatorValueForm(prefix=key)
    if not form.validate_on_submit():
        return _progress(project, {key: form}, 422)
    outcome = attempt(
        lambda: results.record_indicator_value(
            db.session, get_engine(), current_user, indicator_id, values_of(form)
        ),
        form,
        _("Value reached recorded."),
    )
    return _after(project_id, outcome, project, key, form)


def _project_of_result(result: MandatoryResult) -> int:
    return result.component.project_id


def _project_of_indicator(indicator: Indicator) -> int:
    return indicator.result.component.project_id
