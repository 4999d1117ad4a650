"""Pages of the records with their own small workflows: reports (draft, co-sign and submit,
approve or return) and side letters and addenda. The steps offered are the record workflow's,
for the user's parties, with the reason shown when one is blocked."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from twinflow.changes import operations as changes
from twinflow.changes.models import ChangeRequest
from twinflow.extensions import db
from twinflow.implementation.document_views import documents_by_record, upload_refusals
from twinflow.implementation.forms import (
    CHANGE_LABELS,
    ChangeForm,
    ReportForm,
    StepForm,
    UploadForm,
    values_of,
)
from twinflow.implementation.views import PROJECT, attempt, blueprint, figure, owned, page
from twinflow.projects.views import visible_project
from twinflow.records.flow import advance
from twinflow.records.hooks import CHANGE_FIELDS
from twinflow.records.steps import record_steps
from twinflow.records.workflows import records_for
from twinflow.reports import operations as reports
from twinflow.reports.models import Report
from twinflow.services import get_engine
from twinflow.web.filters import fmt_date
from twinflow.workflow.parties import party_name


def _with_steps(project, records: list) -> list[tuple]:
    """[(record, its workflow, [RecordStep])] for the current user."""
    engine = get_engine()
    parties = engine.parties(db.session, current_user, project)
    workflows = records_for(engine)
    return [
        (
            r,
            workflows.get(r.workflow_name),
            record_steps(db.session, engine, current_user, project, r, parties),
        )
        for r in records
    ]


def _say_step(done, workflow, label: str) -> str:
    if done.applied:
        state = workflow.label_of(done.record.state).lower()
        return f"Done: {label.lower()}. {done.record.label} is now {state}."
    waiting = ", ".join(map(party_name, done.owed))
    return f"Your signature on {done.record.label} is recorded; waiting for: {waiting}."


def _step(model, project_id: int, record_id: int, trigger: str, back: str, render):
    project = visible_project(project_id)
    record = owned(model, record_id, project_id, "record")
    form = StepForm(prefix=f"s{record_id}-{trigger}")
    if not form.validate_on_submit():
        # The step's form is one button among many: its refusal is said at the top.
        for message in form.comment.errors:
            flash(f"Not saved: comment: {message}", "error")
        if form.csrf_token.errors:
            flash("Not saved: the form expired; send it again.", "error")
        return render(project, status=422)
    workflow = records_for(get_engine()).get(record.workflow_name)
    named = workflow.transitions_named(trigger)
    label = named[0].label if named else trigger
    result = {}

    def run():
        result["done"] = advance(
            db.session, get_engine(), current_user, model, record_id, trigger, form.comment.data
        )

    outcome = attempt(run, success=None)
    if outcome is True:
        flash(_say_step(result["done"], workflow, label), "success")
        return redirect(url_for(back, project_id=project_id))
    return render(project, status=outcome)


# -- reports -----------------------------------------------------------------------------------


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
        "reports.html",
        project,
        "reports",
        status,
        reports=_with_steps(project, found),
        attached=documents_by_record(project, "report_id"),
        refused=refused,
        quarters=reports.quarters(project),
        form=form or ReportForm(formdata=None),
        StepForm=StepForm,
        UploadForm=UploadForm,
        step_url=lambda r, trigger: url_for(
            "web_records.report_step", project_id=project.id, report_id=r.id, trigger=trigger
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
        "Report drafted: attach its file, then both project leaders sign it.",
    )
    if outcome is True:
        return redirect(url_for("web_records.reports_page", project_id=project_id))
    return _reports(project, form, outcome)


@blueprint.post(f"{PROJECT}/reports/<int:report_id>/steps/<trigger>")
@login_required
def report_step(project_id: int, report_id: int, trigger: str):
    return _step(Report, project_id, report_id, trigger, "web_records.reports_page", _reports)


# -- side letters and addenda ------------------------------------------------------------------


def change_value(name: str, value) -> str:
    """A changed figure as the page shows it: amounts with separators, dates as dates."""
    if value is None or value == "":
        return "—"
    if name.endswith("_eur"):
        try:
            return figure(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    if name == "implementation_end" and isinstance(value, str):
        try:
            return fmt_date(datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


@blueprint.get(f"{PROJECT}/changes")
@login_required
def changes_page(project_id: int):
    return _changes(visible_project(project_id))


def _changes(project, form=None, status=200):
    engine = get_engine()
    found = changes.list_changes(db.session, engine, current_user, project.id)
    return page(
        "changes.html",
        project,
        "changes",
        status,
        changes=_with_steps(project, found),
        change_labels=CHANGE_LABELS,
        change_value=change_value,
        open_for_changes=project.state in records_for(engine).get("addendum").project_states,
        form=form or ChangeForm(formdata=None),
        StepForm=StepForm,
        step_url=lambda r, trigger: url_for(
            "web_records.change_step", project_id=project.id, change_id=r.id, trigger=trigger
        ),
    )


@blueprint.post(f"{PROJECT}/changes")
@login_required
def propose_change(project_id: int):
    project, form = visible_project(project_id), ChangeForm()
    if not form.validate_on_submit():
        return _changes(project, form, 422)
    outcome = attempt(
        lambda: changes.create_change(
            db.session,
            get_engine(),
            current_user,
            project_id,
            form.kind.data,
            form.change_values(),
        ),
        form,
        "Change proposed: submit it when it is ready.",
        error_map={f"changes.{name}": name for name in CHANGE_FIELDS},
    )
    if outcome is True:
        return redirect(url_for("web_records.changes_page", project_id=project_id))
    return _changes(project, form, outcome)


@blueprint.post(f"{PROJECT}/changes/<int:change_id>/steps/<trigger>")
@login_required
def change_step(project_id: int, change_id: int, trigger: str):
    return _step(
        ChangeRequest, project_id, change_id, trigger, "web_records.changes_page", _changes
    )
