"""The approvals inbox: every pending request that waits for my decision."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from twinflow.approvals.forms import DecisionForm
from twinflow.approvals.models import ApprovalRequest
from twinflow.extensions import db
from twinflow.projects.models import Project
from twinflow.projects.permissions import can_view_project
from twinflow.projects.views import conflict_page
from twinflow.services import get_engine
from twinflow.web import queries
from twinflow.web.helpers import roles_required, safe_next
from twinflow.web.project_page import last_seq
from twinflow.workflow.errors import Conflict, GuardFailed, InvalidData

blueprint = Blueprint("web_approvals", __name__, template_folder="templates")
DECIDERS = ("coordinator", "beneficiary", "member_state")


@blueprint.get("/approvals")
@roles_required(*DECIDERS)
def inbox():
    return _inbox()


def _inbox(failed_id: int | None = None, failed_form=None, status: int = 200):
    engine = get_engine()
    items = []
    for req, project, owed in queries.approvals_waiting_for(db.session, current_user):
        spec = engine.definition_of(db.session, project).transition(req.trigger, project.state)
        form = (
            failed_form
            if req.id == failed_id
            else DecisionForm(formdata=None, seen_seq=last_seq(db.session, project.id))
        )
        items.append((req, project, owed, spec.label if spec else req.trigger, form))
    return render_template("approvals/inbox.html", items=items), status


@blueprint.post("/approvals/<int:approval_id>/decide")
@roles_required(*DECIDERS)
def decide(approval_id: int):
    form = DecisionForm()
    if not form.validate_on_submit():
        return _inbox(approval_id, form, 422)
    approval = db.session.get(ApprovalRequest, approval_id)
    if approval is None:
        abort(404, f"There is no approval request {approval_id}.")
    project_id = approval.project_id
    if not can_view_project(current_user, db.session.get(Project, project_id)):
        abort(403, "This approval is on a project you may not see.")
    decision = request.form.get("decision", "")
    try:
        seen = int(form.seen_seq.data or 0)
    except ValueError:
        seen = 0
    try:
        result = get_engine().decide(
            db.session, current_user, approval_id, decision, form.comment.data
        )
    except Conflict as exc:
        return conflict_page(project_id, exc, seen)
    except InvalidData as exc:
        for key, reasons in exc.details.items():
            target = form.comment if key == "comment" else None
            if target is not None:
                target.errors = list(reasons)
            else:
                flash(f"{key}: {'; '.join(reasons)}", "error")
        flash("The decision was not recorded: see the form below.", "error")
        return _inbox(approval_id, form, 422)
    except GuardFailed as exc:
        flash(f"The approval cannot complete: {exc.message}", "error")
        return _inbox(status=422)
    if decision == "reject":
        flash("You rejected the request; the requester is told.", "success")
    elif result.applied:
        flash("Approved by everyone: the change is applied.", "success")
    else:
        flash("Your approval is recorded; other parties still have to decide.", "success")
    target = safe_next(request.args.get("next"), url_for("web_approvals.inbox"))
    return redirect(target)
