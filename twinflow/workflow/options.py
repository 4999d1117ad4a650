"""What a user may do on a project now: each step leaving its state, and the reason it is
blocked if it is. Read-only, so pages and the API show it freely; mixed into the Engine."""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from twinflow.projects.models import Project
from twinflow.workflow.definition import TransitionSpec
from twinflow.workflow.hooks import person_refusal
from twinflow.workflow.signoffs import endorsement_owed
from twinflow.workflow.subjects import ProjectSubject


@dataclass
class TriggerOption:
    """A trigger as one user sees it now: may they, and if not, why not."""

    spec: TransitionSpec
    parties: list[str]
    blocked_by: str | None = None
    pending_approval_id: int | None = None

    @property
    def available(self) -> bool:
        return self.blocked_by is None


class OptionReads:
    """The Engine's read side: uses its clock, `pending_requests` and `first_guard_failure`."""

    def options(
        self, session: Session, actor, project: Project, pending: list | None = None
    ) -> list[TriggerOption]:
        """Every trigger leaving the current state that this user could take part in, with the
        reason it is blocked if it is; read-only, so pages and the API can show it freely.
        `pending`: the project's pending sign-offs when the caller has read them already."""
        subject = ProjectSubject(self, session, project)
        if pending is None:
            pending = self.pending_requests(session, project.id)
        mine, steps = _steps(subject, actor)
        return self._options(session, actor, subject, mine, steps, pending)

    def options_of(
        self, session: Session, actor, projects: list[Project], pending: dict, skip=None
    ) -> dict[int, list[TriggerOption]]:
        """{project id: options(...)} for several projects (a dashboard's), with the reads
        their guards share (the call round's proposals, the selection record) made once for
        all of them instead of once each. `pending`: {project id: its pending sign-offs};
        `skip(definition)`: triggers the caller will not show, so not checked at all."""
        subjects = [ProjectSubject(self, session, p) for p in projects]
        parties, steps = {}, {}
        for subject in subjects:
            unwanted = skip(subject.definition) if skip is not None else ()
            mine, leaving = _steps(subject, actor)
            parties[subject.id] = mine
            steps[subject.id] = [(s, a) for s, a in leaving if s.trigger not in unwanted]
        _share_reads(session, subjects, steps)
        return {
            s.id: self._options(session, actor, s, parties[s.id], steps[s.id], pending[s.id])
            for s in subjects
        }

    def _options(self, session, actor, subject, mine, steps, pending) -> list[TriggerOption]:
        project = subject.project
        pending = {r.trigger: r for r in pending}
        now = self.clock.now()
        out = []
        for spec, acting in steps:
            option = TriggerOption(spec, acting)
            request = pending.get(spec.trigger)
            _, refusal = person_refusal(session, project, spec, actor, acting, now.date())
            if refusal is not None:
                option.blocked_by = refusal
            elif request is not None:
                option.pending_approval_id = request.id
                option.blocked_by = "An approval for this is already pending."
            elif spec.endorser and spec.endorser not in mine:
                option.blocked_by = endorsement_owed(spec)
            else:
                option.blocked_by = self.first_guard_failure(session, subject, spec, actor, now)
            out.append(option)
        return out

    def available_triggers(self, session: Session, actor, project: Project) -> list[str]:
        return [o.spec.trigger for o in self.options(session, actor, project) if o.available]


def _steps(subject, actor) -> tuple[list[str], list[tuple[TransitionSpec, list[str]]]]:
    """The user's parties on the project, and (step, the parties of it the user is) for each
    step leaving its state that they take part in."""
    mine = subject.parties(actor)
    steps = []
    for spec in subject.definition.transitions_from(subject.project.state):
        acting = [p for p in spec.parties if p in mine]
        if acting:
            steps.append((spec, acting))
    return mine, steps


# The reads several projects' guards share, made once for all (options_of). Each is put in the
# subject's memo under the key, and in the shape, its guard reads it by (hooks.remembered):
# workflow/guards.py round_proposals (the round's proposals by Member State, each with its
# assessment) and selection/hooks.py _record (the round's selection record). A guard whose key
# is not found reads for itself, as options() does; tests/workflow/test_options_of.py holds
# options_of to options() for every project of a lifecycle's states.
ROUND_GUARDS = {
    "one_proposal_selected",
    "selected_proposal_fits_rules",
    "selection_record_consistent",
}
RECORD_GUARDS = {"selection_record_consistent", "reserve_available"}


@cache
def _round_proposals_of():
    from twinflow.proposals.models import Proposal
    from twinflow.selection.models import SelectionAssessment

    return (
        select(Proposal, SelectionAssessment)
        .outerjoin(SelectionAssessment, SelectionAssessment.proposal_id == Proposal.id)
        .where(Proposal.project_id.in_(bindparam("ids", expanding=True)))
        .order_by(Proposal.project_id, Proposal.member_state)
        .execution_options(populate_existing=True)  # as the guard's own read
    )


@cache
def _records_of():
    from twinflow.selection.models import SelectionRecord

    return select(SelectionRecord).where(
        SelectionRecord.project_id.in_(bindparam("ids", expanding=True))
    )


def _share_reads(session, subjects, steps) -> None:
    def needing(guards):
        return [s for s in subjects if any(set(spec.guards) & guards for spec, _ in steps[s.id])]

    rounds = needing(ROUND_GUARDS)
    if rounds:
        found = {(s.id, s.project.call_round): [] for s in rounds}
        memo = {s.id: s.memo for s in rounds}
        rows = session.execute(_round_proposals_of(), {"ids": [s.id for s in rounds]})
        for proposal, assessment in rows:
            key = (proposal.project_id, proposal.call_round)
            if key in found:
                found[key].append(proposal)
                memo[proposal.project_id][("assessment", proposal.id)] = assessment
        for (pid, round_), proposals in found.items():
            memo[pid][("round_proposals", pid, round_)] = proposals
    records = needing(RECORD_GUARDS)
    if records:
        found = {(s.id, s.project.call_round): None for s in records}
        for record in session.scalars(_records_of(), {"ids": [s.id for s in records]}):
            if (record.project_id, record.call_round) in found:
                found[(record.project_id, record.call_round)] = record
        memo = {s.id: s.memo for s in records}
        for (pid, round_), record in found.items():
            memo[pid][("selection_record", pid, round_)] = record
