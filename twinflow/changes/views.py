"""The side letters and addenda page of a project: each change with the figures it moves,
proposed, signed and approved or returned through the steps of its workflow."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask import Blueprint, redirect, url_for
from flask_login import current_user, login_required

from twinflow.changes import operations as changes
from twinflow.changes.fields import CHANGE_FIELDS
from twinflow.changes.forms import ChangeForm
from twinflow.changes.models import ChangeRequest
from twinflow.changes.preview import before_after, comments_so_far
from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.projects.views import visible_project
from twinflow.records.forms import StepForm
from twinflow.records.views import PROJECT, attempt, figure, page, take_step, with_steps
from twinflow.services import get_engine
from twinflow.web.filters import fmt_date
from twinflow.web.labels import CHANGE_LABELS

blueprint = Blueprint("web_changes", __name__, template_folder="templates")
# Team roles a change replaces; their errors show on the form's "Replace" field.
REPLACEABLE = ("ms_project_leader", "bc_project_leader", "rta")


def change_value(name: str, value) -> str:
    """A changed figure as the page shows it: amounts with separators, dates as dates."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and "name" in value:  # a new project leader or RTA
        when = value.get("effective_on")
        return (
            _(
                "%(name)s, from %(date)s",
                name=value["name"],
                date=fmt_date(date.fromisoformat(when)),
            )
            if when
            else value["name"]
        )
    if name.endswith("_eur"):
        try:
            return figure(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    if name in ("implementation_end", "effective_on", "rta_secondment_end") and isinstance(
        value, str
    ):
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
        "changes/changes.html",
        project,
        "changes",
        status,
        changes=with_steps(project, found),
        previews={c.id: before_after(db.session, c, project) for c in found},
        comments=comments_so_far(db.session, current_user, project, found),
        change_labels=CHANGE_LABELS,
        change_value=change_value,
        open_for_changes=project.state in engine.registry.record("addendum").project_states,
        form=form or ChangeForm(formdata=None),
        StepForm=StepForm,
        step_url=lambda r, trigger: url_for(
            "web_changes.change_step", project_id=project.id, change_id=r.id, trigger=trigger
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
        _("Change proposed: submit it when it is ready."),
        error_map={f"changes.{name}": name for name in CHANGE_FIELDS}
        | {f"changes.{role}": "replace_role" for role in REPLACEABLE},
    )
    if outcome is True:
        return redirect(url_for("web_changes.changes_page", project_id=project_id))
    return _changes(project, form, outcome)


@blueprint.post(f"{PROJECT}/changes/<int:change_id>/steps/<trigger>")
@login_required
def change_step(project_id: int, change_id: int, trigger: str):
    return take_step(
        ChangeRequest, project_id, change_id, trigger, "web_changes.changes_page", _changes
    )
