"""Member State proposals of a project: submit, amend, list (as each caller may see), select."""

from flask import url_for

from twinflow.api.blueprint import Blueprint
from twinflow.api.common import ID, visible_project
from twinflow.api.schemas import ProposalCreateSchema, ProposalSchema, ProposalUpdateSchema
from twinflow.api.security import authenticated, current_user
from twinflow.extensions import db
from twinflow.proposals.operations import (
    select_proposal,
    submit_proposal,
    update_proposal,
    visible_proposals,
)
from twinflow.proposals.permissions import selection_known_to
from twinflow.services import get_engine

blp = Blueprint(
    "proposals", __name__, url_prefix="/api/v1/projects", description="Member State proposals"
)
PROPOSAL = f"/<{ID}:project_id>/proposals"


@blp.route(PROPOSAL, methods=["POST"])
@authenticated
@blp.arguments(ProposalCreateSchema)
@blp.response(201, ProposalSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Only Member State users propose")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(
    409,
    response="CONFLICT",
    description="Your Member State already proposed, or the call is not open",
)
def submit(values, project_id):
    """Submit your Member State's proposal while the call is open (one per Member State)."""
    proposal = submit_proposal(db.session, get_engine(), current_user(), project_id, values)
    location = url_for("proposals.list_proposals", project_id=project_id)
    return proposal, 201, {"Location": f"{location}/{proposal.id}"}


@blp.route(PROPOSAL, methods=["GET"])
@authenticated
@blp.response(200, ProposalSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_proposals(project_id):
    """A Member State sees its own proposals; the others see them once the call has closed.
    `is_selected` is null to a Member State until it is the chosen lead partner."""
    user = current_user()
    project = visible_project(user, project_id)
    known = selection_known_to(user, project)
    out = []
    for proposal in visible_proposals(db.session, user, project):
        view = {name: getattr(proposal, name) for name in ProposalSchema().fields}
        view["is_selected"] = proposal.is_selected if known else None
        out.append(view)
    return out


@blp.route(f"{PROPOSAL}/<{ID}:proposal_id>", methods=["PATCH"])
@authenticated
@blp.arguments(ProposalUpdateSchema)
@blp.response(200, ProposalSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="The call is not open")
def amend(values, project_id, proposal_id):
    """Amend your own proposal while the call is open."""
    return update_proposal(
        db.session, get_engine(), current_user(), project_id, proposal_id, values
    )


@blp.route(f"{PROPOSAL}/<{ID}:proposal_id>/select", methods=["POST"])
@authenticated
@blp.response(200, ProposalSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Only beneficiary and coordinators")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Not in selection, or approval pending")
def select(project_id, proposal_id):
    """Mark the chosen proposal of the current call (select_partner then needs approvals)."""
    return select_proposal(db.session, get_engine(), current_user(), project_id, proposal_id)
