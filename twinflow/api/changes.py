"""Side letters (minor changes) and addenda (major changes): propose, agree or sign, approve,
return or reject; once approved they change the project's figures."""

from marshmallow import RAISE

from twinflow.api.blueprint import Blueprint
from twinflow.api.common import ID
from twinflow.api.idempotency import HEADER_DOC, run_once
from twinflow.api.record_schemas import (
    ChangeCreateSchema,
    ChangeListArgsSchema,
    ChangeSchema,
    ChangeStepResultSchema,
    ChangeUpdateSchema,
    RecordStepRequestSchema,
)
from twinflow.api.records import PROJECT, owned, record_view, record_views
from twinflow.api.security import authenticated, current_user
from twinflow.changes import operations as changes
from twinflow.changes.models import ChangeRequest
from twinflow.extensions import db
from twinflow.records.operations import advance
from twinflow.services import get_engine

blp = Blueprint(
    "changes",
    __name__,
    url_prefix="/api/v1/projects",
    description="Side letters and addenda (change requests during implementation)",
)
CHANGE = f"{PROJECT}/changes/<{ID}:change_id>"


@blp.route(f"{PROJECT}/changes", methods=["GET"])
@authenticated
@blp.arguments(ChangeListArgsSchema, location="query", unknown=RAISE)
@blp.response(200, ChangeSchema(many=True))
@blp.alt_response(403, response="FORBIDDEN", description="Not a party to this project")
@blp.alt_response(404, response="NOT_FOUND")
def list_changes(args, project_id):
    """Side letters and addenda in the order proposed (?kind=side_letter|addendum)."""
    user = current_user()
    found = changes.list_changes(db.session, get_engine(), user, project_id)
    if "kind" in args:
        found = [c for c in found if c.kind == args["kind"]]
    return record_views(user, project_id, found)


@blp.route(f"{PROJECT}/changes", methods=["POST"])
@authenticated
@blp.arguments(ChangeCreateSchema)
@blp.response(201, ChangeSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Not yours to propose")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Only during implementation")
@blp.doc(parameters=[HEADER_DOC])
def propose(values, project_id):
    """Propose a change, e.g. {"kind": "addendum", "title": ..., "justification": ...,
    "changes": {"extend_months": 3}}. What each kind may change is refused with its reason
    (422): a side letter reallocates within its limit; an addendum extends or re-budgets."""
    user = current_user()
    values = dict(values)
    kind = values.pop("kind")

    def action(commit: bool):
        made = changes.create_change(
            db.session, get_engine(), user, project_id, kind, values, commit=commit
        )
        return 201, ChangeSchema().dump(record_view(user, made)), {}

    return run_once(user, action)


@blp.route(CHANGE, methods=["PATCH"])
@authenticated
@blp.arguments(ChangeUpdateSchema)
@blp.response(200, ChangeSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Not yours to edit")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Submitted or decided: not editable")
def edit(values, project_id, change_id):
    """Edit a draft or returned change; signatures given in this round must be given again."""
    owned(ChangeRequest, change_id, project_id, "change")
    user = current_user()
    edited = changes.update_change(db.session, get_engine(), user, change_id, values)
    return record_view(user, edited)


@blp.route(f"{CHANGE}/transitions", methods=["POST"])
@authenticated
@blp.arguments(RecordStepRequestSchema)
@blp.response(200, ChangeStepResultSchema, description="Applied: the change moved")
@blp.alt_response(
    202,
    schema=ChangeStepResultSchema,
    description="Your signature is recorded; `owed` lists the signatures still needed",
)
@blp.alt_response(403, response="FORBIDDEN", description="Not yours to take, or you wrote it")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Not possible in the change's state")
@blp.doc(parameters=[HEADER_DOC])
def step(args, project_id, change_id):
    """Take a step. A side letter: `submit` (both project leaders sign), then `approve`,
    `return` or `reject` by a coordinator. An addendum: `submit`, then `approve` signed by a
    coordinator and the lead Member State; the last signature applies the figures."""
    owned(ChangeRequest, change_id, project_id, "change")
    user = current_user()

    def action(commit: bool):
        done = advance(
            db.session,
            get_engine(),
            user,
            ChangeRequest,
            change_id,
            args["trigger"],
            args["comment"],
            commit=commit,
        )
        change = record_view(user, done.record)
        body = {"applied": done.applied, "owed": done.owed, "change": change}
        return (200 if done.applied else 202), ChangeStepResultSchema().dump(body), {}

    return run_once(user, action)
