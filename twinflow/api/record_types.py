"""/projects/<id>/records/<type>: any record type with a workflow file and a model, driven by
the same routes (the /reports and /changes resources keep their own shapes)."""

from datetime import datetime

from marshmallow import Schema, fields

from twinflow.api.blueprint import Blueprint
from twinflow.api.common import ID
from twinflow.api.idempotency import HEADER_DOC, run_once
from twinflow.api.record_schemas import RecordStepRequestSchema
from twinflow.api.records import PROJECT, owned, record_view, record_views
from twinflow.api.security import authenticated, current_user
from twinflow.extensions import db
from twinflow.records import generic
from twinflow.records.operations import advance, readable_project
from twinflow.services import get_engine

blp = Blueprint(
    "records", __name__, url_prefix="/api/v1/projects", description="Records of any type"
)
TYPE = "<record_type>"
RECORDS = f"{PROJECT}/records/{TYPE}"
RECORD = f"{RECORDS}/<{ID}:record_id>"


class AnyRecordSchema(Schema):
    record = fields.Dict(required=True)


class AnyStepResultSchema(Schema):
    applied = fields.Boolean(required=True)
    owed = fields.List(fields.String(), metadata={"description": "Signatures still needed"})
    record = fields.Dict(required=True)


class RecordValuesSchema(Schema):
    values = fields.Dict(
        required=True, metadata={"description": "The record type's fields, e.g. title"}
    )


def _plain(view: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in view.items()}


def _one(user, record) -> dict:
    return _plain(record_view(user, record))


@blp.route(RECORDS, methods=["GET"])
@authenticated
@blp.response(200, AnyRecordSchema(many=True))
@blp.alt_response(403, response="FORBIDDEN", description="Not a party to this project")
@blp.alt_response(404, response="NOT_FOUND")
def list_records(project_id, record_type):
    """The project's records of this type, each with `your_steps`."""
    user = current_user()
    found = generic.list_records(db.session, get_engine(), user, project_id, record_type)
    return [{"record": _plain(v)} for v in record_views(user, project_id, found)]


@blp.route(RECORDS, methods=["POST"])
@authenticated
@blp.arguments(RecordValuesSchema)
@blp.response(201, AnyRecordSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Not one who drafts this type")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Not in this project state")
@blp.doc(parameters=[HEADER_DOC])
def create(args, project_id, record_type):
    """Draft a record: {"values": {...the type's fields...}}."""
    user = current_user()

    def action(commit: bool):
        made = generic.create_record(
            db.session, get_engine(), user, project_id, record_type, args["values"], commit
        )
        return 201, {"record": _one(user, made)}, {}

    return run_once(user, action)


@blp.route(RECORD, methods=["GET"])
@authenticated
@blp.response(200, AnyRecordSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Not a party to this project")
@blp.alt_response(404, response="NOT_FOUND")
def show(project_id, record_type, record_id):
    user = current_user()
    model = generic.model_of(get_engine(), record_type)
    record = owned(model, record_id, project_id, record_type.replace("_", " "))
    readable_project(db.session, get_engine(), user, project_id)  # may they see its records?
    return {"record": _one(user, record)}


@blp.route(RECORD, methods=["PATCH"])
@authenticated
@blp.arguments(RecordValuesSchema)
@blp.response(200, AnyRecordSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Not one who drafts this type")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Not editable in its state")
def edit(args, project_id, record_type, record_id):
    user, engine = current_user(), get_engine()
    owned(generic.model_of(engine, record_type), record_id, project_id, "record")
    edited = generic.update_record(db.session, engine, user, record_type, record_id, args["values"])
    return {"record": _one(user, edited)}


@blp.route(f"{RECORD}/transitions", methods=["POST"])
@authenticated
@blp.arguments(RecordStepRequestSchema)
@blp.response(200, AnyStepResultSchema, description="Applied: the record moved")
@blp.alt_response(
    202,
    schema=AnyStepResultSchema,
    description="Your signature is recorded; `owed` lists the signatures still needed",
)
@blp.alt_response(403, response="FORBIDDEN", description="Not yours to take, or you wrote it")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Not possible in the record's state")
@blp.doc(parameters=[HEADER_DOC])
def step(args, project_id, record_type, record_id):
    """Take a step of the record's workflow; a co-signed step applies with the last signature."""
    user, engine = current_user(), get_engine()
    model = generic.model_of(engine, record_type)
    owned(model, record_id, project_id, "record")

    def action(commit: bool):
        done = advance(
            db.session, engine, user, model, record_id, args["trigger"], args["comment"], commit
        )
        body = {"applied": done.applied, "owed": done.owed, "record": _one(user, done.record)}
        return (200 if done.applied else 202), AnyStepResultSchema().dump(body), {}

    return run_once(user, action)
