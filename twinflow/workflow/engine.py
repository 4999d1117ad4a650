"""Firing triggers and deciding approvals: each call is one database transaction."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from twinflow.approvals.models import ApprovalRequest
from twinflow.audit.operations import append_event
from twinflow.auth.permissions import named_in_notice
from twinflow.clock import SystemClock
from twinflow.deadlines.operations import on_state_change
from twinflow.notifications.operations import parties_notice
from twinflow.projects.models import Project
from twinflow.workflow.approval_steps import ApprovalSteps, FireResult
from twinflow.workflow.data import parse_trigger_data
from twinflow.workflow.definition import Definition, TransitionSpec
from twinflow.workflow.effects import EFFECTS, EffectContext
from twinflow.workflow.errors import (
    GuardFailed,
    InvalidData,
    InvalidInState,
    NotFound,
    NotPermitted,
    StaleVersion,
)
from twinflow.workflow.guards import GUARDS, GuardContext
from twinflow.workflow.parties import ProjectParties, parties_of
from twinflow.workflow.registry import WorkflowRegistry

# SQLite's lock: a no-op UPDATE (the version stays) returning the row as the Project.
_SQLITE_LOCK_AND_READ = (
    update(Project)
    .where(Project.id == bindparam("pid"))
    .values(version=Project.version)
    .returning(Project)
)
_REFRESH_IN_PLACE = {"populate_existing": True, "synchronize_session": False}
_WITHDRAW_OTHERS = (
    update(ApprovalRequest)
    .where(
        ApprovalRequest.project_id == bindparam("pid"),
        ApprovalRequest.status == "pending",
        ApprovalRequest.id != bindparam("keep"),
    )
    .values(status="withdrawn", closed_at=bindparam("now"))
)

# session.info key: (workflow, trigger) of each transition applied in the open transaction, for
# whoever counts them once it commits (the metrics); dropped if it rolls back.
APPLIED_TRANSITIONS = "twinflow.applied_transitions"
# Points inside a transition where tests inject failures to prove nothing half-applies.
STEPS = ("after_lock", "after_state_change", "after_audit", "after_deadlines", "before_commit")


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


class Engine(ApprovalSteps):
    """Fires triggers and decides approvals; the steps of a transition that needs several
    parties' approval (asking, deciding) are in approval_steps.py."""

    def __init__(self, registry: WorkflowRegistry, clock=None, base_url: str = ""):
        self.registry = registry
        self.clock = clock or SystemClock()
        self.base_url = base_url.rstrip("/")
        self.step_hook: Callable[[str], None] | None = None

    # -- public operations ---------------------------------------------------------------

    def fire(
        self,
        session: Session,
        actor,
        project_id: int,
        trigger: str,
        *,
        comment: str | None = None,
        data: dict | None = None,
        expected_version: int | None = None,
        commit: bool = True,
    ) -> FireResult:
        try:
            result = self._fire(
                session, actor, project_id, trigger, comment, data, expected_version
            )
            self._step("before_commit")
            if commit:
                session.commit()
            return result
        except BaseException:
            session.rollback()
            raise

    def decide(
        self,
        session: Session,
        actor,
        approval_id: int,
        decision: str,
        comment: str | None = None,
        commit: bool = True,
    ) -> FireResult:
        try:
            result = self._decide(session, actor, approval_id, decision, comment)
            self._step("before_commit")
            if commit:
                session.commit()
            return result
        except BaseException:
            session.rollback()
            raise

    def definition_of(self, session: Session, project: Project) -> Definition:
        return self.registry.get(project.workflow_version, session)

    def parties(self, session: Session, actor, project: Project) -> list[str]:
        return parties_of(actor, self._who(session, project))

    def options(self, session: Session, actor, project: Project) -> list[TriggerOption]:
        """Every trigger leaving the current state that this user could take part in, with the
        reason it is blocked if it is; read-only, so pages and the API can show it freely."""
        definition = self.definition_of(session, project)
        mine = self.parties(session, actor, project)
        pending = {r.trigger: r for r in self.pending_requests(session, project.id)}
        now = self.clock.now()
        out = []
        for spec in definition.transitions_from(project.state):
            acting = [p for p in spec.parties if p in mine]
            if not acting:
                continue
            option = TriggerOption(spec, acting)
            request = pending.get(spec.trigger)
            if request is not None:
                option.pending_approval_id = request.id
                option.blocked_by = "An approval for this is already pending."
            else:
                option.blocked_by = self._first_guard_failure(
                    session, project, definition, spec, actor, {}, now
                )
            out.append(option)
        return out

    def available_triggers(self, session: Session, actor, project: Project) -> list[str]:
        return [o.spec.trigger for o in self.options(session, actor, project) if o.available]

    def pending_requests(self, session: Session, project_id: int) -> list[ApprovalRequest]:
        return list(
            session.scalars(
                select(ApprovalRequest)
                .where(
                    ApprovalRequest.project_id == project_id, ApprovalRequest.status == "pending"
                )
                .order_by(ApprovalRequest.id)
            )
        )

    # -- the steps -----------------------------------------------------------------------

    def _fire(self, session, actor, project_id, trigger, comment, data, expected_version):
        project = self._lock(session, project_id)
        self._step("after_lock")
        definition = self.definition_of(session, project)
        named = definition.transitions_named(trigger)
        if not named:
            raise InvalidData(
                {
                    "trigger": [
                        f"unknown trigger {trigger!r}; known: {', '.join(definition.triggers)}"
                    ]
                }
            )
        who = self._who(session, project)
        mine = parties_of(actor, who)
        if not any(p in spec.parties for spec in named for p in mine):
            raise NotPermitted(
                f"You may not {named[0].label.lower()} on this project.",
                {"trigger": trigger, "parties": sorted({p for s in named for p in s.parties})},
            )
        spec = definition.transition(trigger, project.state)
        if spec is None:
            raise InvalidInState(
                f"{named[0].label} is not possible while the project is in "
                f"{definition.states[project.state].label.lower()}.",
                {"trigger": trigger, "state": project.state},
            )
        acting = [p for p in spec.parties if p in mine]
        if not acting:
            raise NotPermitted(f"You may not {spec.label.lower()} on this project.")
        if expected_version is not None and project.version != expected_version:
            raise StaleVersion(
                f"The project changed since you loaded it (version {expected_version}, now "
                f"{project.version}); reload and try again.",
                {"expected_version": expected_version, "current_version": project.version},
            )
        now = self.clock.now()
        comment, values = self._validate_input(spec, comment, data, now)
        if spec.needs_approvals:
            return self._request_approval(
                session,
                actor,
                project,
                definition,
                spec,
                acting[0],
                comment,
                values,
                data or {},
                now,
            )
        self._check_guards(session, project, definition, spec, actor, values, now)
        self._apply(session, actor, project, definition, spec, comment, values, data or {}, now)
        return FireResult(True, project)

    def _apply(
        self,
        session,
        actor,
        project,
        definition,
        spec,
        comment,
        values,
        raw_data,
        now,
        approval=None,
    ):
        from_state = project.state
        machine = self.registry.machine(definition)
        if not machine.events[spec.trigger].trigger(project):
            raise InvalidInState(f"{spec.label} did not apply from {from_state}.")
        self._step("after_state_change")
        ctx = EffectContext(
            project=project, definition=definition, data=values, now=now, session=session
        )
        for name in spec.effects:
            EFFECTS[name](ctx)
        # Read after the effects: select_partner's appoints the lead, who is told of it.
        lead = self._lead_member_state(session, project)
        project.state_changed_at = now
        session.flush()
        if any(t.needs_approvals for t in definition.transitions_from(from_state)):
            # Only a state with approval transitions can have requests pending.
            session.execute(
                _WITHDRAW_OTHERS,
                {"pid": project.id, "keep": approval.id if approval else 0, "now": now},
            )
        audit_data = {"comment": comment, "data": raw_data or {}}
        if approval is not None:
            audit_data["approval_id"] = approval.id
        append_event(
            session,
            action="transition",
            now=now,
            actor=actor,
            project_id=project.id,
            trigger=spec.trigger,
            from_state=from_state,
            to_state=project.state,
            data=audit_data,
            along=self._moved_notice(
                session, actor, project, definition, spec, from_state, now, lead
            ),
        )
        self._step("after_audit")
        on_state_change(session, project, definition, from_state, project.state, now)
        self._step("after_deadlines")
        session.flush()
        session.info.setdefault(APPLIED_TRANSITIONS, []).append((definition.name, spec.trigger))

    # -- helpers -------------------------------------------------------------------------

    def _lock(self, session: Session, project_id: int) -> Project:
        """Lock the project row and read it fresh, in one statement.

        PostgreSQL: SELECT ... FOR UPDATE. SQLite ignores FOR UPDATE, so a no-op
        UPDATE ... RETURNING takes the database write lock and reads the row at once; writers
        then queue. A project this session already holds is refreshed in place (callers keep
        their reference); loading it anew would trip SQLAlchemy's version check when another
        process changed it meanwhile.
        """
        if session.get_bind().dialect.name == "sqlite":
            found = session.execute(
                _SQLITE_LOCK_AND_READ,
                {"pid": project_id},
                execution_options=_REFRESH_IN_PLACE,
            ).scalar_one_or_none()
            return self._found(found, project_id)
        held = session.identity_map.get(identity_key(Project, project_id))
        if held is not None:
            try:
                session.refresh(held, with_for_update=True)
            except InvalidRequestError:  # the row is gone
                held = None
            return self._found(held, project_id)
        return self._found(session.get(Project, project_id, with_for_update=True), project_id)

    @staticmethod
    def _found(project: Project | None, project_id: int) -> Project:
        if project is None:
            raise NotFound(f"No project {project_id}.")
        return project

    def _lead_member_state(self, session: Session, project: Project) -> str | None:
        return project.lead_member_state

    def _who(self, session: Session, project: Project) -> ProjectParties:
        return ProjectParties(
            project.beneficiary_country,
            project.beneficiary_institution,
            self._lead_member_state(session, project),
        )

    def _validate_input(self, spec, comment, data, now):
        errors = {}
        comment = (comment or "").strip() or None
        if spec.comment_required and not comment:
            errors["comment"] = [f"a comment is required to {spec.label.lower()}"]
        try:
            values = parse_trigger_data(spec, data, now)
        except InvalidData as exc:
            errors.update({f"data.{k}" if k != "data" else k: v for k, v in exc.errors.items()})
            values = {}
        if errors:
            raise InvalidData(errors)
        return comment, values

    def _first_guard_failure(self, session, project, definition, spec, actor, values, now):
        ctx = GuardContext(session, project, definition, actor, values, now)
        for name in spec.guards:
            reason = GUARDS[name](ctx)
            if reason:
                return reason
        return None

    def _check_guards(self, session, project, definition, spec, actor, values, now):
        ctx = GuardContext(session, project, definition, actor, values, now)
        for name in spec.guards:
            reason = GUARDS[name](ctx)
            if reason:
                raise GuardFailed(name, reason)

    def _moved_notice(self, session, actor, project, definition, spec, from_state, now, lead):
        """The notifications of a state change, to be written with its audit event. Keyed by
        the project's new version (flushed already), which no other change of it shares."""
        state = definition.states[project.state]
        parties = {p for t in definition.transitions_from(project.state) for p in t.parties}
        parties |= {p for d in state.deadlines for p in d.notify}
        parties.add("beneficiary")
        return parties_notice(
            session,
            project,
            parties,
            lead,
            kind="state_changed",
            key=f"project:{project.id}:v{project.version}",
            now=now,
            subject=f"[{project.reference}] {state.label}: {project.title}",
            body=f"{named_in_notice(actor, parties)} did '{spec.label}': the project moved from "
            f"{definition.states[from_state].label} to {state.label}.",
            link=self._link(project),
            except_user_id=getattr(actor, "id", None),
        )

    def _link(self, project: Project) -> str:
        return f"{self.base_url}/projects/{project.id}"

    def _step(self, name: str) -> None:
        if self.step_hook is not None:
            self.step_hook(name)
