"""The audit trail: a project's events (as the caller may see them), the whole trail and its
verification for administrators, as JSON pages or CSV."""

import io

from flask import Response, current_app, request
from flask_smorest import abort
from marshmallow import RAISE
from sqlalchemy import func, select

from twinflow.api.blueprint import Blueprint
from twinflow.api.common import ID, visible_project
from twinflow.api.list_args import AuditListArgsSchema, PageArgsSchema
from twinflow.api.pagination import PAGE_HEADERS, page_headers, paginate
from twinflow.api.schemas import (
    AuditEventSchema,
    VerifySchema,
)
from twinflow.api.security import authenticated, current_user
from twinflow.audit.actors import actor_clause
from twinflow.audit.models import AuditEvent, AuditHead
from twinflow.audit.operations import event_as_dict, export_csv, iter_events, verify_chain
from twinflow.audit.permissions import can_read_full_audit, project_events_clause
from twinflow.audit.words import AuditWords
from twinflow.auth.models import User
from twinflow.auth.permissions import person_withheld
from twinflow.extensions import db

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="Audit trail")
CSV_DOC = {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}


@blp.route(f"/projects/<{ID}:project_id>/audit", methods=["GET"])
@authenticated
@blp.arguments(PageArgsSchema, location="query", unknown=RAISE)
@blp.response(200, AuditEventSchema(many=True), headers=PAGE_HEADERS)
@blp.alt_response(404, response="NOT_FOUND")
def project_audit(args, project_id):
    """The project's events in order, with hash and prev_hash.

    Proposal events follow proposal visibility (a Member State sees only its own; others
    only once the call has closed), and a Member State user is not told which user of
    another Member State acted: those events come with actor_withheld true."""
    user = current_user()
    project = visible_project(user, project_id)
    query = (
        select(AuditEvent)
        .where(AuditEvent.project_id == project.id, project_events_clause(user, project))
        .order_by(AuditEvent.seq)
    )
    events, headers = paginate(query, args["page"], args["per_page"])
    actors = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_({e.actor_id for e in events if e.actor_id}))
        )
    }
    out = []
    for event in events:
        row = event_as_dict(event)
        actor = actors.get(event.actor_id)
        row["actor_withheld"] = actor is not None and person_withheld(
            user, actor.role, actor.country
        )
        if row["actor_withheld"]:
            row["actor_id"] = row["actor_email"] = None
        out.append(row)
    return out, 200, headers


@blp.route("/audit", methods=["GET"])
@authenticated
@blp.arguments(AuditListArgsSchema, location="query", unknown=RAISE)
@blp.response(200, AuditEventSchema(many=True), headers=PAGE_HEADERS)
@blp.alt_response(403, response="FORBIDDEN", description="Administrators only")
@blp.doc(responses=CSV_DOC)
def all_events(args):
    """Every event (administrators), filtered by actor e-mail, action, project and time range;
    `Accept: text/csv` gives all matching events as CSV instead of a JSON page."""
    if not can_read_full_audit(current_user()):
        abort(403, message="Only administrators read the whole audit trail.")
    query = select(AuditEvent)
    if "actor" in args:
        address = args["actor"].strip().lower()
        # The same events as the test on every event, by the addresses it matches (actors.py).
        query = query.where(actor_clause(db.session, lambda email: func.lower(email) == address))
    if "action" in args:
        query = query.where(AuditEvent.action == args["action"])
    if "project" in args:
        query = query.where(AuditEvent.project_id == args["project"])
    if "since" in args:
        query = query.where(AuditEvent.occurred_at >= args["since"])
    if "until" in args:
        query = query.where(AuditEvent.occurred_at < args["until"])
    if request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv":
        out = io.StringIO()
        words = AuditWords(db.session, current_app.extensions["twinflow.registry"])
        export_csv(iter_events(db.session, query), out, words)
        return Response(
            out.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
        )
    if query.whereclause is None:
        events, headers = _whole_trail_page(args["page"], args["per_page"])
    else:
        events, headers = paginate(query.order_by(AuditEvent.seq), args["page"], args["per_page"])
    return [event_as_dict(e) for e in events], 200, headers


def _whole_trail_page(page: int, per_page: int) -> tuple[list, dict]:
    """The unfiltered trail by sequence number: the chain is gapless from 1 to the head (the
    triggers take only the head's successor and refuse deletes), so the head row is the count
    and page N starts after event per_page (N - 1), at the same cost on any page of any trail
    (COUNT(*) and OFFSET read every event before it)."""
    total = db.session.scalar(select(AuditHead.seq).where(AuditHead.id == 1)) or 0
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.seq > (page - 1) * per_page, AuditEvent.seq <= total)
        .order_by(AuditEvent.seq)
        .limit(per_page)
    ).all()
    return events, page_headers(total, page, per_page)


@blp.route("/audit/verify", methods=["GET"])
@authenticated
@blp.response(200, VerifySchema)
@blp.alt_response(403, response="FORBIDDEN", description="Administrators only")
def verify():
    """Recompute the whole hash chain: {"ok": true, "checked": N} or the first broken event."""
    if not can_read_full_audit(current_user()):
        abort(403, message="Only administrators verify the audit trail.")
    return verify_chain(db.session).as_dict()
