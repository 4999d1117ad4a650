"""The reports page of a project: interim and final reports with their files, drafted, signed
by both project leaders and approved or returned, through the steps of the report's workflow."""

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user, login_required

from twinflow.documents.forms import UploadForm
from twinflow.documents.views import documents_by_record, upload_refusals
from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.projects.views import visible_project
from twinflow.records.forms import StepForm, values_of
from twinflow.records.views import PROJECT, attempt, page, take_step, with_steps
from twinflow.reports import operations as reports
from twinflow.reports.forms import ReportForm
from twinflow.reports.models import Report
from twinflow.services import get_engine

blueprint = Blueprint("web_reports", __name__, template_folder="templates")


@blueprint.get(f"{PROJECT}/reports")
@login_required
def reports_page(project_id: int):
    return _reports(visible_project(project_id))


def _reports(project, form=None, status=200):
    engine = get_engine()
    found = reports.list_reports(db.session, engine, current_user, project.id)
    refused = upload_refusals()
    for report_id in set(refused) - {r.id for r in found}:
        for message in refused.pop(report_id):  # no longer on the page: said at the top
            flash(message, "error")
    return page(
        "reports/reports.html",
        project,
        "reports",
        status,
        reports=with_steps(project, found),
        attached=documents_by_record(project, "report_id"),
        refused=refused,
        quarters=reports.quarters(project),
        form=form or ReportForm(formdata=None),
        StepForm=StepForm,
        UploadForm=UploadForm,
        step_url=lambda r, trigger: url_for(
            "web_reports.report_step", project_id=project.id, report_id=r.id, trigger=trigger
        ),
    )


@blueprint.post(f"{PROJECT}/reports")
@login_required
def create_report(project_id: int):
    project, form = visible_project(project_id), ReportForm()
    if not form.validate_on_submit():
        return _reports(project, form, 422)
    outcome = attempt(
        lambda: reports.create_report(
            db.session, get_engine(), current_user, project_id, values_of(form)
        ),
        form,
        _("Report drafted: attach its file, then both project leaders sign it."),
    )
    if outcome is True:
        return redirect(url_for("web_reports.reports_page", project_id=project_id))
    return _reports(project, form, outcome)


@blueprint.post(f"{PROJECT}/reports/<int:report_id>/steps/<trigger>")
@login_required
def report_step(project_id: int, report_id: int, trigger: str):
    return take_step(Report, project_id, report_id, trigger, "web_reports.reports_page", _reports)
