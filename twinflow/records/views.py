"""What the pages of the implementation records share: their layout and tabs, how a form posts
to an operation and its refusals come back next to the field or as a message at the top
(nothing is changed), and the steps of a record's workflow offered to the user's parties,
with the reason shown when one is blocked."""

import re

from babel.numbers import format_decimal
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from twinflow.error_handling import status_of
from twinflow.extensions import db
from twinflow.i18n import current_language, lazy_gettext, ngettext
from twinflow.i18n import gettext as _
from twinflow.projects.views import visible_project
from twinflow.records.forms import StepForm
from twinflow.records.operations import advance
from twinflow.records.permissions import can_manage_records, can_view_records
from twinflow.records.steps import record_steps
from twinflow.services import get_engine
from twinflow.web.helpers import apply_engine_errors
from twinflow.web.labels import CHANGE_LABELS
from twinflow.workflow.errors import InvalidData, NotFound, WorkflowError
from twinflow.workflow.parties import party_name

# No routes of its own: the layout and tabs every record page extends, and their filters.
blueprint = Blueprint("web_records", __name__, template_folder="templates")
PROJECT = "/projects/<int:project_id>"
SAVED = lazy_gettext("Saved.")
# What `owned` may not find, in the words of the page.
NOUNS = {
    "activity": lazy_gettext("There is no activity %(id)s on this project."),
    "change": lazy_gettext("There is no change %(id)s on this project."),
    "component": lazy_gettext("There is no component %(id)s on this project."),
    "document": lazy_gettext("There is no document %(id)s on this project."),
    "indicator": lazy_gettext("There is no indicator %(id)s on this project."),
    "mandatory result": lazy_gettext("There is no mandatory result %(id)s on this project."),
    "record": lazy_gettext("There is no record %(id)s on this project."),
    "report": lazy_gettext("There is no report %(id)s on this project."),
}


@blueprint.app_template_filter("figure")
def figure(value) -> str:
    """An indicator's number without needless decimals, grouped as the page's language writes
    it: 120, 12.5, 1,500 (French: 12,5 and 1 500)."""
    if value is None:
        return "—"
    return format_decimal(value, "#,##0.##", locale=current_language())


@blueprint.app_template_filter("filesize")
def filesize(count: int) -> str:
    language = current_language()
    if count >= 1024 * 1024:
        size = format_decimal(count / (1024 * 1024), "0.0", locale=language)
        return _("%(size)s MB", size=size)
    if count >= 1024:
        return _("%(size)s KB", size=max(1, round(count / 1024)))
    return ngettext("%(num)d byte", "%(num)d bytes", count)


def page(template: str, project, tab: str, status: int = 200, **context):
    engine = get_engine()
    parties = engine.parties(db.session, current_user, project)
    body = render_template(
        template,
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


def attempt(operation, form=None, success: str | None = SAVED, error_map=None):
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
        said = _("Not saved: %(reason)s", reason=exc.message) if not leftover else _("Not saved:")
        flash(said, "error")
        for message in leftover:
            flash(message, "error")
        return status_of(exc)
    if success:
        flash(str(success), "success")
    return True


def owned(model, record_id: int, project_id: int, what: str, project_of=None):
    """The record if it belongs to the project in the URL; `project_of` finds the project of
    a record that does not carry its project_id (an indicator, a mandatory result)."""
    record = db.session.get(model, record_id)
    if record is None or (project_of or _own_project)(record) != project_id:
        missing = NOUNS.get(what)
        raise NotFound(
            str(missing) % {"id": record_id}
            if missing is not None
            else f"There is no {what} {record_id} on this project."
        )
    return record


def _own_project(record) -> int:
    return record.project_id


def with_steps(project, records: list) -> list[tuple]:
    """[(record, its workflow, [RecordStep])] for the current user."""
    engine = get_engine()
    parties = engine.parties(db.session, current_user, project)
    return [
        (
            r,
            engine.record_workflow(db.session, r),
            record_steps(db.session, engine, current_user, project, r, parties),
        )
        for r in records
    ]


def _say_step(done, workflow, label: str) -> str:
    if done.applied:
        state = workflow.label_of(done.record.state).lower()
        return _(
            "Done: %(step)s. %(record)s is now %(state)s.",
            step=label.lower(),
            record=done.record.label,
            state=state,
        )
    waiting = ", ".join(map(party_name, done.owed))
    return _(
        "Your signature on %(record)s is recorded; waiting for: %(parties)s.",
        record=done.record.label,
        parties=waiting,
    )


def take_step(model, project_id: int, record_id: int, trigger: str, back: str, render):
    """Fires a step of the record's workflow from its button; `back` is the page's endpoint."""
    project = visible_project(project_id)
    record = owned(model, record_id, project_id, "record")
    form = StepForm(prefix=f"s{record_id}-{trigger}")
    if not form.validate_on_submit():
        # The step's form is one button among many: its refusal is said at the top.
        for message in form.comment.errors:
            flash(_("Not saved: comment: %(reason)s", reason=message), "error")
        if form.csrf_token.errors:
            flash(_("Not saved: the form expired; send it again."), "error")
        return render(project, status=422)
    workflow = get_engine().record_workflow(db.session, record)
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
