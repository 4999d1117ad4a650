"""The call on the project page: the round, the count of proposals for those who choose, the
NCP's forwarding form and the forwarding its country's institutions see."""

from datetime import UTC

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user, login_required

from twinflow.calls.forms import ForwardForm
from twinflow.calls.operations import bids_received, forward_call, forwarding_for
from twinflow.calls.permissions import can_forward_call
from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.services import get_engine
from twinflow.workflow.errors import InvalidData

blueprint = Blueprint("web_calls", __name__, template_folder="templates")
# The key of a refused forwarding form in the project page's `forms`.
FORM_KEY = "forward_call"


def panel(session, user, project, now, form=None) -> dict:
    """What the project page's call panel shows this user."""
    forwarding = forwarding_for(session, user, project)
    may_forward = (
        project.state == "call_open"
        and project.proposal_deadline is not None
        and now < project.proposal_deadline
        and can_forward_call(user, project)
    )
    if may_forward and form is None:
        form = ForwardForm(
            formdata=None,
            internal_deadline=forwarding.internal_deadline.replace(tzinfo=None)
            if forwarding and forwarding.internal_deadline
            else None,
            note=forwarding.note if forwarding else None,
        )
    return {
        "round": project.call_round,
        "received": bids_received(session, user, project),
        "forwarding": forwarding,
        "form": form if may_forward else None,
    }


@blueprint.post("/projects/<int:project_id>/call/forward")
@login_required
def forward(project_id: int):
    from twinflow.projects.views import _detail, visible_project

    project = visible_project(project_id)
    form = ForwardForm()
    if not form.validate_on_submit():
        flash(_("The call was not forwarded: see the form below."), "error")
        return _detail(project, {FORM_KEY: form}, 422)
    internal = form.internal_deadline.data
    values = {
        "internal_deadline": internal.replace(tzinfo=UTC) if internal else None,
        "note": form.note.data,
    }
    try:
        forward_call(db.session, get_engine(), current_user, project_id, values)
    except InvalidData as exc:
        db.session.refresh(project)
        for key, reasons in exc.details.items():
            field = getattr(form, key, None)
            if field is not None:
                field.errors = list(field.errors or []) + list(reasons)
        flash(_("The call was not forwarded: see the form below."), "error")
        return _detail(project, {FORM_KEY: form}, 422)
    flash(_("The call was forwarded to the institutions of your Member State."), "success")
    return redirect(url_for("web_projects.detail", project_id=project_id) + "#call")
