"""Which steps of a record's workflow a user could take now, and why a step is blocked: read
only, so pages and the API offer what the engine accepts and explain the rest."""

from dataclasses import dataclass

from twinflow.i18n import gettext
from twinflow.workflow.definition import TransitionSpec
from twinflow.workflow.hooks import person_refusal
from twinflow.workflow.parties import party_name
from twinflow.workflow.signoffs import endorsement_owed


@dataclass(frozen=True)
class RecordStep:
    spec: TransitionSpec
    blocked_by: str | None
    # Co-signed steps: parties that signed in this round, and those still owed.
    signed: tuple[str, ...] = ()
    owed: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        return self.blocked_by is None


def _names(parties) -> str:
    return ", ".join(map(party_name, parties))


def record_steps(session, engine, actor, project, record, parties: list[str]) -> list[RecordStep]:
    """The steps leaving the record's state in which one of the actor's parties takes part."""
    subject = engine.record_subject(session, project, record, parties)
    workflow = subject.definition
    if project.state not in workflow.project_states:
        return []
    pending = {
        s.trigger: s
        for s in engine.signoffs_of(
            session, record.record_type, record.id, record.signing_round, status="pending"
        )
    }
    now = engine.clock.now()
    out = []
    for spec in workflow.transitions_from(record.state):
        if not any(p in parties for p in spec.parties):
            continue
        signoff = pending.get(spec.trigger)
        decisions = signoff.decisions if signoff is not None else []
        done = tuple(d.party for d in decisions)
        owed = tuple(p for p in spec.signoff if p not in done)
        if spec.by_someone_else and subject.had_a_hand_in(actor, signoff):
            reason = gettext("You wrote, edited or signed it: another user must take this step.")
        elif spec.endorser and spec.endorser not in done and spec.endorser not in parties:
            reason = endorsement_owed(spec, record.label)
        elif spec.signoff and any(d.user_id == actor.id for d in decisions):
            reason = gettext("You have signed; waiting for: %(parties)s.", parties=_names(owed))
        elif spec.signoff and not any(p in parties and p not in done for p in spec.signoff):
            reason = gettext(
                "Signed for your party already; waiting for: %(parties)s.", parties=_names(owed)
            )
        else:
            mine = [p for p in parties if p in spec.parties and p not in done]
            reason = person_refusal(session, project, spec, actor, mine, now.date())[1]
            reason = reason or engine.first_guard_failure(session, subject, spec, actor, now)
        out.append(RecordStep(spec, reason, done, owed if spec.signoff else ()))
    return out
