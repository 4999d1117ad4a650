"""Which steps of a record's workflow a user could take now, and why a step is blocked: read
only, so pages and the API offer what `flow.advance` accepts and explain the rest."""

from dataclasses import dataclass

from twinflow.records.flow import had_a_hand_in, signatures
from twinflow.records.hooks import RECORD_GUARDS, RecordContext
from twinflow.records.workflows import RecordTransition, records_for
from twinflow.workflow.parties import party_name


@dataclass(frozen=True)
class RecordStep:
    spec: RecordTransition
    blocked_by: str | None
    # Co-signed steps: parties that signed in this round, and those still owed.
    signed: tuple[str, ...] = ()
    owed: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        return self.blocked_by is None


def _party(name: str) -> str:
    return party_name(name)


def record_steps(session, engine, actor, project, record, parties: list[str]) -> list[RecordStep]:
    """The steps leaving the record's state in which one of the actor's parties takes part."""
    workflow = records_for(engine).get(record.workflow_name)
    if project.state not in workflow.project_states:
        return []
    signed = signatures(session, record)
    now = engine.clock.now()
    out = []
    for spec in workflow.transitions_from(record.state):
        if not any(p in parties for p in spec.parties):
            continue
        done = tuple(s.party for s in signed if s.trigger == spec.trigger)
        owed = tuple(p for p in spec.signatures if p not in done)
        reason = None
        if spec.by_someone_else and had_a_hand_in(session, record, actor, signed):
            reason = "You wrote, edited or signed it: another user must take this step."
        elif spec.signatures and any(
            s.user_id == actor.id and s.trigger == spec.trigger for s in signed
        ):
            reason = f"You have signed; waiting for: {', '.join(map(_party, owed))}."
        elif spec.signatures and not any(p in parties and p not in done for p in spec.signatures):
            reason = f"Signed for your party already; waiting for: {', '.join(map(_party, owed))}."
        else:
            ctx = RecordContext(
                session,
                engine,
                project,
                engine.definition_of(session, project),
                workflow,
                record,
                actor,
                None,
                now,
            )
            reason = next(filter(None, (RECORD_GUARDS[g](ctx) for g in spec.guards)), None)
        out.append(RecordStep(spec, reason, done, owed if spec.signatures else ()))
    return out
