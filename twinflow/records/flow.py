"""Moving a record (report, side letter, addendum) along its declared workflow: co-signing,
separation of duties, guards, effects, audit and notifications in one transaction."""

import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinflow.audit.models import AuditEvent
from twinflow.audit.operations import append_event
from twinflow.notifications.operations import notify_parties
from twinflow.projects.permissions import can_view_project
from twinflow.records.hooks import RECORD_EFFECTS, RECORD_GUARDS, RecordContext
from twinflow.records.models import RecordSignature
from twinflow.records.operations import check_view
from twinflow.records.permissions import LEADERS
from twinflow.records.workflows import records_for
from twinflow.workflow.errors import (
    Conflict,
    GuardFailed,
    InvalidData,
    InvalidInState,
    NotFound,
    NotPermitted,
)
from twinflow.workflow.parties import party_name


@dataclass
class Advanced:
    """applied: the record moved; otherwise a signature was added and `owed` still must sign."""

    applied: bool
    record: object
    owed: list[str] = field(default_factory=list)


def load_for_change(session: Session, engine, actor, model, record_id: int):
    """The record and its project, the project row locked so that changes to its records queue;
    a record on a project the user may not see does not exist for them."""
    record = session.get(model, record_id)
    if record is None:
        raise NotFound(f"No {model.__name__.lower()} {record_id}.")
    project = engine._lock(session, record.project_id)
    session.refresh(record)
    if not can_view_project(actor, project):
        raise NotFound(f"No {model.__name__.lower()} {record_id}.")
    return record, project, check_view(session, engine, actor, project, project.id)


def had_a_hand_in(session: Session, record, actor, signed) -> bool:
    """Wrote it, edited its text, or signed it in this round: such a user may not also be the
    one who approves it. Edits are read from the audit trail (`<type>_updated` events)."""
    if actor.id == record.author_id or any(s.user_id == actor.id for s in signed):
        return True
    edits = session.scalars(
        select(AuditEvent.data).where(
            AuditEvent.project_id == record.project_id,
            AuditEvent.action == f"{record.record_type}_updated",
            AuditEvent.actor_id == actor.id,
        )
    )
    return any(json.loads(data).get("record_id") == record.id for data in edits)


def signatures(session: Session, record, trigger: str | None = None) -> list[RecordSignature]:
    """The signatures of the record's current signing round."""
    query = select(RecordSignature).where(
        RecordSignature.record_type == record.record_type,
        RecordSignature.record_id == record.id,
        RecordSignature.signing_round == record.signing_round,
    )
    if trigger is not None:
        query = query.where(RecordSignature.trigger == trigger)
    return list(session.scalars(query.order_by(RecordSignature.id)))


def check_project_state(workflow, project, what: str) -> None:
    if project.state not in workflow.project_states:
        allowed = ", ".join(s.replace("_", " ") for s in workflow.project_states)
        raise Conflict(
            f"{what} is possible only while the project is in {allowed}; it is in "
            f"{project.state.replace('_', ' ')}.",
            {"project_state": project.state},
        )


def advance(
    session: Session,
    engine,
    actor,
    model,
    record_id: int,
    trigger: str,
    comment: str | None = None,
    commit: bool = True,
) -> Advanced:
    try:
        result = _advance(session, engine, actor, model, record_id, trigger, comment)
        if commit:
            session.commit()
        return result
    except BaseException:
        session.rollback()
        raise


def _advance(session, engine, actor, model, record_id, trigger, comment) -> Advanced:
    record, project, parties = load_for_change(session, engine, actor, model, record_id)
    workflow = records_for(engine).get(record.workflow_name)
    named = workflow.transitions_named(trigger)
    if not named:
        known = ", ".join(dict.fromkeys(t.trigger for t in workflow.transitions))
        raise InvalidData({"trigger": [f"unknown step {trigger!r}; known: {known}"]})
    spec = workflow.transition(trigger, record.state)
    if spec is None:
        raise InvalidInState(
            f"{named[0].label} is not possible: {record.label} is "
            f"{workflow.label_of(record.state).lower()}.",
            {"trigger": trigger, "state": record.state},
        )
    check_project_state(workflow, project, named[0].label)
    signed = signatures(session, record)
    if spec.by_someone_else and had_a_hand_in(session, record, actor, signed):
        raise NotPermitted(
            f"{record.label} may not be approved by one who wrote, edited or signed it; "
            "another user must take this step.",
            {"trigger": trigger},
        )
    if not any(p in parties for p in spec.parties):
        raise NotPermitted(
            f"Only the {' and the '.join(p.replace('_', ' ') for p in spec.parties)} may "
            f"{spec.label.lower()}.",
            {"trigger": trigger, "parties": list(spec.parties)},
        )
    comment = (comment or "").strip() or None
    if spec.comment_required and not comment:
        raise InvalidData({"comment": [f"a comment is required to {spec.label.lower()}"]})
    now = engine.clock.now()
    ctx = RecordContext(
        session,
        engine,
        project,
        engine.definition_of(session, project),
        workflow,
        record,
        actor,
        comment,
        now,
    )
    for name in spec.guards:
        reason = RECORD_GUARDS[name](ctx)
        if reason:
            raise GuardFailed(name, reason)
    if spec.signatures:
        owed = _sign(session, engine, actor, project, record, spec, parties, comment, now)
        if owed:
            return Advanced(False, record, owed)
    _apply(ctx, spec)
    return Advanced(True, record)


def _sign(session, engine, actor, project, record, spec, parties, comment, now) -> list[str]:
    """Adds the actor's signature; returns the parties still owed (empty: all have signed)."""
    done = {s.party: s for s in signatures(session, record, spec.trigger)}
    if any(s.user_id == actor.id for s in done.values()):
        raise Conflict(f"You have already signed {record.label}.")
    mine = [p for p in spec.signatures if p in parties and p not in done]
    if not mine:
        raise Conflict(
            f"The {' and the '.join(p.replace('_', ' ') for p in spec.signatures if p in parties)}"
            f" signature on {record.label} is already given."
        )
    session.add(
        RecordSignature(
            record_type=record.record_type,
            record_id=record.id,
            signing_round=record.signing_round,
            trigger=spec.trigger,
            party=mine[0],
            user_id=actor.id,
            signed_at=now,
        )
    )
    owed = [p for p in spec.signatures if p not in done and p != mine[0]]
    event = append_event(
        session,
        action=f"{record.record_type}_signed",
        now=now,
        actor=actor,
        project_id=project.id,
        data={
            "record_id": record.id,
            "number": record.number,
            "step": spec.trigger,
            "party": mine[0],
            "round": record.signing_round,
            "comment": comment,
            "owed": owed,
        },
    )
    if owed:
        _notify(
            session,
            engine,
            project,
            owed,
            actor,
            event["seq"],
            now,
            subject=f"[{project.reference}] your signature is needed: {record.label}",
            body=f"{actor.display_name} signed {record.label} ({spec.label.lower()}) as "
            f"{party_name(mine[0])}; waiting for: {', '.join(map(party_name, owed))}.",
        )
    return owed


def _apply(ctx: RecordContext, spec) -> None:
    record, session = ctx.record, ctx.session
    from_state = record.state
    machine = records_for(ctx.engine).machine(record.workflow_name)
    if not machine.events[spec.trigger].trigger(record):
        raise InvalidInState(f"{spec.label} did not apply from {from_state}.")
    record.updated_at = ctx.now
    for name in spec.effects:
        RECORD_EFFECTS[name](ctx)
    session.flush()
    signed_by = [s.party for s in signatures(session, record, spec.trigger)]
    event = append_event(
        session,
        action=f"{record.record_type}_{spec.trigger}",
        now=ctx.now,
        actor=ctx.actor,
        project_id=ctx.project.id,
        data={
            "record_id": record.id,
            "number": record.number,
            "from": from_state,
            "to": record.state,
            "comment": ctx.comment,
            "signed_by": signed_by,
        },
    )
    workflow = ctx.workflow
    # Those who act next on the record, and the project leaders, hear that it moved.
    told = {p for t in workflow.transitions_from(record.state) for p in t.parties} | set(LEADERS)
    _notify(
        session,
        ctx.engine,
        ctx.project,
        told,
        ctx.actor,
        event["seq"],
        ctx.now,
        subject=f"[{ctx.project.reference}] {record.label}: {workflow.label_of(record.state)}",
        body=f"{ctx.actor.display_name} did '{spec.label}': {record.label} is now "
        f"{workflow.label_of(record.state).lower()}."
        + (f" Comment: {ctx.comment}" if ctx.comment else ""),
    )


def _notify(session, engine, project, parties, actor, seq, now, subject, body) -> None:
    notify_parties(
        session,
        project,
        parties,
        engine._lead_member_state(session, project),
        kind="record_changed",
        key=f"audit:{seq}",
        now=now,
        subject=subject,
        body=body,
        link=f"{engine.base_url}/projects/{project.id}",
        except_user_id=actor.id,
    )
