"""Side letters (minor changes) and addenda (major changes) during implementation."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.changes import wording
from twinflow.changes.fields import check_changes
from twinflow.changes.models import CHANGE_KINDS, ChangeRequest
from twinflow.i18n import gettext as _
from twinflow.records.operations import (
    Advanced,
    advance,
    check_project_state,
    load_for_change,
    new_round_if_signed,
    open_project,
    readable_project,
    unit_of_work,
)
from twinflow.records.validation import Values
from twinflow.workflow.errors import Conflict, InvalidData, NotPermitted

FIELDS = ("title", "justification", "changes")


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _read(engine, session, project, workflow, kind, values, partial=False) -> dict:
    v = Values(values, FIELDS)
    title = v.text("title", required=not partial or v.given("title"))
    justification = v.text(
        "justification", required=not partial or v.given("justification"), max_length=20000
    )
    clean = {}
    if v.given("changes") or not partial:
        clean, errors = check_changes(
            values.get("changes") or {},
            project,
            engine.definition_of(session, project),
            workflow,
            _label(kind),
        )
        for key, reasons in errors.items():
            for reason in reasons:
                v.error(key, reason)
    v.done()
    out = {"title": title, "justification": justification}
    if v.given("changes") or not partial:
        out["changes"] = clean
    return {k: val for k, val in out.items() if val is not None}


def create_change(
    session: Session, engine, actor, project_id: int, kind: str, values: dict, commit=True
) -> ChangeRequest:
    """kind: side_letter | addendum; values: title, justification, changes {figure: value}."""
    with unit_of_work(session, commit):
        if kind not in CHANGE_KINDS:
            raise InvalidData(
                {"kind": [_("must be one of: %(values)s", values=", ".join(CHANGE_KINDS))]}
            )
        workflow = engine.registry.record(kind)
        project, parties = open_project(
            session,
            engine,
            actor,
            project_id,
            states=workflow.project_states,
            what=wording.drafting(kind),
        )
        if not any(p in workflow.drafted_by for p in parties):
            raise NotPermitted(wording.drafted_by(kind, workflow.drafted_by))
        clean = _read(engine, session, project, workflow, kind, values)
        now = engine.clock.now()
        number = 1 + session.scalar(
            select(func.count(ChangeRequest.id)).where(
                ChangeRequest.project_id == project.id, ChangeRequest.kind == kind
            )
        )
        change = ChangeRequest(
            project_id=project.id,
            kind=kind,
            number=number,
            state=workflow.initial,
            workflow_version=workflow.version,
            author_id=actor.id,
            created_at=now,
            updated_at=now,
            **clean,
        )
        session.add(change)
        session.flush()
        append_event(
            session,
            action=f"{kind}_created",
            now=now,
            actor=actor,
            project_id=project.id,
            data={"record_id": change.id, "number": number, "changes": clean["changes"]},
        )
    return change


def update_change(
    session: Session, engine, actor, change_id: int, values: dict, commit=True
) -> ChangeRequest:
    with unit_of_work(session, commit):
        change, project, parties = load_for_change(session, engine, actor, ChangeRequest, change_id)
        workflow = engine.record_workflow(session, change)
        check_project_state(workflow, project, wording.editing(change.kind))
        if change.state not in workflow.editable:
            raise Conflict(
                _(
                    "%(report)s is %(state)s; it can no longer be edited.",
                    report=change.label,
                    state=workflow.label_of(change.state).lower(),
                )
            )
        if not any(p in workflow.drafted_by for p in parties):
            raise NotPermitted(_("You may not edit %(record)s.", record=change.label))
        clean = _read(engine, session, project, workflow, change.kind, values, partial=True)
        for key, value in clean.items():
            setattr(change, key, value)
        change.updated_at = engine.clock.now()
        new_round_if_signed(session, engine, change, change.updated_at)
        append_event(
            session,
            action=f"{change.kind}_updated",
            now=change.updated_at,
            actor=actor,
            project_id=project.id,
            data={"record_id": change.id, "number": change.number, "values": clean},
        )
    return change


def act_on_change(
    session: Session, engine, actor, change_id: int, step: str, comment: str | None = None
) -> Advanced:
    """step: submit | approve | return | reject, as the change's workflow declares them; a
    co-signed step applies with the last signature owed."""
    return advance(session, engine, actor, ChangeRequest, change_id, step, comment)


def list_changes(session: Session, engine, actor, project_id: int) -> list[ChangeRequest]:
    project, _parties = readable_project(session, engine, actor, project_id)
    return list(
        session.scalars(
            select(ChangeRequest)
            .where(ChangeRequest.project_id == project.id)
            .order_by(ChangeRequest.created_at, ChangeRequest.id)
        )
    )
