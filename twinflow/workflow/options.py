"""What a user may do on a project now: each step leaving its state, and the reason it is
blocked if it is. Read-only, so pages and the API show it freely; mixed into the Engine."""

from dataclasses import dataclass

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
        mine = subject.parties(actor)
        if pending is None:
            pending = self.pending_requests(session, project.id)
        pending = {r.trigger: r for r in pending}
        now = self.clock.now()
        out = []
        for spec in subject.definition.transitions_from(project.state):
            acting = [p for p in spec.parties if p in mine]
            if not acting:
                continue
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
