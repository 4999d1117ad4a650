"""Drafting, editing and listing records of any registered type: what a new record workflow
gets for nothing once its YAML file (workflows/records/) and its model (a RecordMixin class
with `record_type` and `record_fields`) exist. Steps go through the engine (`advance`)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.i18n import gettext
from twinflow.records.models import record_model
from twinflow.records.operations import (
    check_project_state,
    load_for_change,
    new_round_if_signed,
    open_project,
    readable_project,
    unit_of_work,
)
from twinflow.records.validation import Values
from twinflow.workflow.errors import Conflict, NotFound, NotPermitted
from twinflow.workflow.parties import party_name


def model_of(engine, record_type: str) -> type:
    """The model of a record type that has both a model and a workflow, or NotFound."""
    model = record_model(record_type)
    if model is None or record_type not in engine.registry.record_types():
        raise NotFound(f"No record type {record_type!r}.")
    return model


def _label(record_type: str) -> str:
    return record_type.replace("_", " ")


def _read(model, values, partial: bool) -> dict:
    """The model's `record_fields` (texts), each required on drafting, refused when unknown.
    A type drafted through a resource of its own (reports, changes) declares none."""
    if not partial and not model.record_fields:
        raise Conflict(
            f"A {_label(model.__name__)} is drafted through its own resource, not this one."
        )
    v = Values(values, tuple(model.record_fields))
    optional = getattr(model, "optional_fields", ())
    clean = {
        name: v.text(name, required=not partial and name not in optional, max_length=20000)
        for name in model.record_fields
    }
    v.done()
    return {k: value for k, value in clean.items() if value is not None}


def list_records(session: Session, engine, actor, project_id: int, record_type: str) -> list:
    model = model_of(engine, record_type)
    project, _ = readable_project(session, engine, actor, project_id)
    query = select(model).where(model.project_id == project.id)
    if hasattr(model, "kind") and len(getattr(model, "record_types", ())) > 1:
        query = query.where(model.kind == record_type)
    return list(session.scalars(query.order_by(model.id)))


def create_record(
    session: Session, engine, actor, project_id: int, record_type: str, values, commit=True
):
    model = model_of(engine, record_type)
    workflow = engine.registry.record(record_type)
    with unit_of_work(session, commit):
        project, parties = open_project(
            session,
            engine,
            actor,
            project_id,
            states=workflow.project_states,
            what=f"Drafting a {_label(record_type)}",
        )
        if not any(p in workflow.drafted_by for p in parties):
            who = " or the ".join(map(party_name, workflow.drafted_by))
            raise NotPermitted(f"A {_label(record_type)} is drafted by the {who}.")
        clean = _read(model, values, partial=False)
        now = engine.clock.now()
        # The text the record is pinned to is stored, so it drives the record after edits.
        engine.registry.store_current(session)
        record = model(
            project_id=project.id,
            state=workflow.initial,
            workflow_version=workflow.version,
            author_id=actor.id,
            created_at=now,
            updated_at=now,
            **clean,
        )
        session.add(record)
        session.flush()
        if hasattr(record, "drafted"):  # what a type sets up when drafted (a deadline...)
            record.drafted(session, project, workflow, now)
        append_event(
            session,
            action=f"{record_type}_created",
            now=now,
            actor=actor,
            project_id=project.id,
            data={"record_id": record.id, "values": clean},
        )
    return record


def update_record(
    session: Session, engine, actor, record_type: str, record_id, values, commit=True
):
    """Edits while the record is in an editable state; signatures given in this round no
    longer count, since they were on the old text."""
    model = model_of(engine, record_type)
    with unit_of_work(session, commit):
        record, project, parties = load_for_change(session, engine, actor, model, record_id)
        workflow = engine.record_workflow(session, record)
        check_project_state(workflow, project, f"Editing a {_label(record_type)}")
        if record.state not in workflow.editable:
            raise Conflict(
                gettext(
                    "%(report)s is %(state)s; it can no longer be edited.",
                    report=record.label,
                    state=workflow.label_of(record.state).lower(),
                )
            )
        if not any(p in workflow.drafted_by for p in parties):
            raise NotPermitted(gettext("You may not edit %(record)s.", record=record.label))
        clean = _read(model, values, partial=True)
        for key, value in clean.items():
            setattr(record, key, value)
        record.updated_at = engine.clock.now()
        new_round_if_signed(session, engine, record, record.updated_at)
        append_event(
            session,
            action=f"{record_type}_updated",
            now=record.updated_at,
            actor=actor,
            project_id=project.id,
            data={"record_id": record.id, "values": clean},
        )
    return record
