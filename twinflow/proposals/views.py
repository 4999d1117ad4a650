"""Calls for proposals as Member State institutions see them, the proposal form, and the
selection of a proposal by the beneficiary and the coordinators."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from twinflow.auth.forms import ButtonForm
from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.projects.views import visible_project
from twinflow.proposals.forms import ProposalForm
from twinflow.proposals.models import Proposal
from twinflow.proposals.operations import select_proposal, submit_proposal, update_proposal
from twinflow.reference import reference_for
from twinflow.services import get_engine
from twinflow.web import queries
from twinflow.web.helpers import apply_engine_errors, choices, roles_required
from twinflow.web.labels import country_name
from twinflow.workflow.errors import InvalidData

blueprint = Blueprint("web_proposals", __name__, template_folder="templates")


@blueprint.get("/calls")
@roles_required("member_state")
def calls():
    engine = get_engine()
    return render_template(
        "proposals/calls.html",
        calls=queries.open_calls(db.session, current_user, engine.clock.now()),
    )


def _own_proposal(project) -> Proposal | None:
    return db.session.scalar(
        db.select(Proposal).where(
            Proposal.project_id == project.id,
            Proposal.call_round == project.call_round,
            Proposal.member_state == current_user.country,
        )
    )


@blueprint.route("/calls/<int:project_id>/proposal", methods=["GET", "POST"])
@roles_required("member_state")
def proposal(project_id: int):
    engine = get_engine()
    project = visible_project(project_id)
    existing = _own_proposal(project)
    definition = engine.definition_of(db.session, project)
    if existing is not None:
        form = ProposalForm(obj=existing)
    else:
        form = ProposalForm(project_leader=current_user.name or None)
    reference = reference_for(engine)
    form.junior_member_states.choices = choices(
        sorted(
            (
                (c, country_name(c))
                for c in reference.member_states_on(engine.clock.now().date())
                # The lead (the user's own Member State) is never its own junior partner.
                if c != current_user.country
            ),
            key=lambda c: c[1],
        )
    )
    form.rta_name.flags.required = definition.rules.rta_required
    if definition.rules.rta_required:
        form.rta_name.description = _("Required for this type of project.")
    now = engine.clock.now()
    open_now = (
        project.state == "call_open"
        and project.proposal_deadline is not None
        and now < project.proposal_deadline
    )
    status = 200
    if form.validate_on_submit():
        values = {
            "lead_member_state": current_user.country,
            "junior_member_states": form.junior_member_states.data or [],
            "project_leader": form.project_leader.data,
            "rta_name": form.rta_name.data,
            "summary": form.summary.data,
        }
        try:
            if existing is None:
                submit_proposal(db.session, engine, current_user, project_id, values)
                flash(
                    _("Your proposal was submitted. You can amend it until the deadline."),
                    "success",
                )
            else:
                update_proposal(db.session, engine, current_user, project_id, existing.id, values)
                flash(_("Your proposal was updated."), "success")
        except InvalidData as exc:
            for message in apply_engine_errors(form, exc.details):
                flash(message, "error")
            flash(_("The proposal was not saved: see the form below."), "error")
            status = 422
        else:
            return redirect(url_for("web_proposals.proposal", project_id=project_id))
    elif form.is_submitted():
        status = 422
    return render_template(
        "proposals/proposal.html",
        project=project,
        form=form,
        existing=existing,
        open_now=open_now,
        rules=definition.rules,
    ), status


@blueprint.post("/projects/<int:project_id>/proposals/<int:proposal_id>/select")
@login_required
def select(project_id: int, proposal_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400, _("The form expired; nothing was changed."))
    visible_project(project_id)
    chosen = select_proposal(db.session, get_engine(), current_user, project_id, proposal_id)
    flash(
        _(
            "The proposal of %(country)s is marked as selected. Now ask for the approvals to "
            "select the partner.",
            country=country_name(chosen.member_state),
        ),
        "success",
    )
    return redirect(url_for("web_projects.detail", project_id=project_id) + "#proposals")
