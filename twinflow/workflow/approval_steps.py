"""The engine's steps for a transition that needs the approval of several parties: asking for
it (the requester's own approval given at once) and deciding on it, the last approval applying
the transition. Mixed into Engine (engine.py), whose lock, parties, guards and _apply they use."""

from dataclasses import dataclass

from sqlalchemy import update

from twinflow.approvals.models import ApprovalDecision, ApprovalRequest
from twinflow.audit.operations import append_event
from twinflow.auth.models import User
from twinflow.auth.permissions import named_in_notice
from twinflow.notifications.operations import notify, notify_parties
from twinflow.projects.models import Project
from twinflow.workflow.data import parse_trigger_data
from twinflow.workflow.errors import Conflict, InvalidData, NotFound, NotPermitted


@dataclass
class FireResult:
    """What a fire or a decision did: applied, or an approval asked for or advanced."""

    applied: bool
    project: Project
    approval: ApprovalRequest | None = None


class ApprovalSteps:
    """Asking for and deciding on approvals; the transition itself is the Engine's _apply."""

    def _decide(self, session, actor, approval_id, decision, comment):
        request = session.get(ApprovalRequest, approval_id)
        if request is None:
            raise NotFound(f"No approval request {approval_id}.")
        project = self._lock(session, request.project_id)
        self._step("after_lock")
        session.refresh(request)
        if decision not in ("approve", "reject"):
            raise InvalidData({"decision": ["must be 'approve' or 'reject'"]})
        comment = (comment or "").strip() or None
        if decision == "reject" and not comment:
            raise InvalidData({"comment": ["a comment is required to reject"]})
        if request.status != "pending":
            raise Conflict(
                f"This approval request is already {request.status}.", {"status": request.status}
            )
        if any(d.user_id == actor.id for d in request.decisions):
            raise Conflict("You have already decided on this request.")
        mine = self.parties(session, actor, project)
        owed = [p for p in request.owed_parties if p in mine]
        if not owed:
            raise NotPermitted(
                "This approval does not wait for you.", {"owed": request.owed_parties}
            )
        definition = self.definition_of(session, project)
        spec = definition.transition(request.trigger, project.state)
        now = self.clock.now()
        session.add(
            ApprovalDecision(
                request=request,
                party=owed[0],
                user_id=actor.id,
                decision=decision,
                comment=comment,
                decided_at=now,
            )
        )
        session.flush()
        append_event(
            session,
            action=f"approval_{decision}d",
            now=now,
            actor=actor,
            project_id=project.id,
            trigger=request.trigger,
            data={"approval_id": request.id, "party": owed[0], "comment": comment},
        )
        lead = self._lead_member_state(session, project)
        if decision == "reject":
            request.status, request.closed_at = "rejected", now
            # The requester is a User row, whatever kind of object (a Flask-Login proxy) acts.
            requester = session.get(User, request.requested_by_id)
            notify(
                session,
                [requester] if requester else [],
                kind="approval_rejected",
                key=f"approval:{request.id}:rejected",
                now=now,
                project_id=project.id,
                subject=f"[{project.reference}] {spec.label if spec else request.trigger} "
                "was rejected",
                body=f"{actor.display_name} ({owed[0]}) rejected: {comment}",
                link=self._link(project),
            )
            return FireResult(False, project, request)
        if request.owed_parties:
            notify_parties(
                session,
                project,
                request.owed_parties,
                lead,
                kind="approval_progress",
                key=f"approval:{request.id}:by:{owed[0]}",
                now=now,
                subject=f"[{project.reference}] approval still owed",
                body=f"{named_in_notice(actor, request.owed_parties)} approved as {owed[0]}; "
                f"still waiting for "
                f"{', '.join(request.owed_parties)}.",
                link=self._link(project),
            )
            return FireResult(False, project, request)
        if spec is None:  # pending requests are withdrawn on every state change
            raise Conflict("The project has moved on since this approval was requested.")
        values = parse_trigger_data(spec, request.data, now, check_future=False)
        self._check_guards(session, project, definition, spec, actor, values, now)
        request.status, request.closed_at = "approved", now
        self._apply(
            session,
            actor,
            project,
            definition,
            spec,
            request.comment,
            values,
            request.data,
            now,
            approval=request,
        )
        return FireResult(True, project, request)

    def _request_approval(
        self, session, actor, project, definition, spec, party, comment, values, raw_data, now
    ):
        if any(r.trigger == spec.trigger for r in self.pending_requests(session, project.id)):
            raise Conflict(
                f"An approval to {spec.label.lower()} is already pending; decide on "
                "it in the approvals inbox."
            )
        self._check_guards(session, project, definition, spec, actor, values, now)
        request = ApprovalRequest(
            project_id=project.id,
            trigger=spec.trigger,
            from_state=project.state,
            parties=list(spec.approvals),
            status="pending",
            comment=comment,
            data=raw_data,
            requested_by_id=actor.id,
            created_at=now,
        )
        session.add(request)
        session.flush()
        session.add(
            ApprovalDecision(
                request=request,
                party=party,
                user_id=actor.id,
                decision="approve",
                comment=comment,
                decided_at=now,
            )
        )
        session.flush()
        append_event(
            session,
            action="approval_requested",
            now=now,
            actor=actor,
            project_id=project.id,
            trigger=spec.trigger,
            data={
                "approval_id": request.id,
                "party": party,
                "comment": comment,
                "owed": request.owed_parties,
            },
        )
        # Bump the project's version (its ETag): what it shows, its pending approvals, changed.
        session.execute(
            update(Project).where(Project.id == project.id).values(version=Project.version + 1)
        )
        session.refresh(project)
        notify_parties(
            session,
            project,
            request.owed_parties,
            self._lead_member_state(session, project),
            kind="approval_requested",
            key=f"approval:{request.id}:requested",
            now=now,
            subject=f"[{project.reference}] your approval is needed: {spec.label}",
            body=f"{named_in_notice(actor, request.owed_parties)} asks to {spec.label.lower()} on "
            f"{project.title}. Waiting for: {', '.join(request.owed_parties)}.",
            link=self._link(project),
        )
        return FireResult(False, project, request)
