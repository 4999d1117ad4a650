"""The one path of every move, for projects and records alike: lock, load the pinned
definition, check party, state, version and data, separation of duties, guards, then sign-off
or apply, audit event, deadlines, notifications, commit once. What differs by kind is asked of
the subject (subjects.py); the sign-off steps are in signoffs.py."""

from collections.abc import Callable

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from twinflow.approvals.models import Signoff
from twinflow.clock import SystemClock
from twinflow.deadlines.holds import hold_or_return, release
from twinflow.deadlines.operations import on_state_change
from twinflow.i18n import gettext as _
from twinflow.projects.models import Project
from twinflow.workflow.data import parse_trigger_data
from twinflow.workflow.definition import Definition
from twinflow.workflow.errors import (
    Conflict,
    GuardFailed,
    InvalidData,
    InvalidInState,
    NotFound,
    NotPermitted,
    StaleVersion,
)
from twinflow.workflow.hooks import (
    EFFECTS,
    GUARDS,
    PERSON,
    PERSONS,
    STEP_READS,
    Context,
    load_hooks,
    person_refusal,
)
from twinflow.workflow.locking import (
    UNVERIFIED,
    StaleCopy,
    lock_project,
    run_locked_at_begin,
)
from twinflow.workflow.modes import under
from twinflow.workflow.options import OptionReads
from twinflow.workflow.parties import ProjectParties, parties_of, project_parties
from twinflow.workflow.registry import WorkflowRegistry
from twinflow.workflow.schema import PREVIOUS
from twinflow.workflow.signoffs import (
    FireResult,
    SignoffSteps,
    approval_unwritten,
)
from twinflow.workflow.state_write import take_project_write
from twinflow.workflow.subjects import RECORD_MODELS, ProjectSubject, RecordSubject, RecordTarget

# session.info key: (workflow, trigger) of each transition applied in the open transaction, for
# whoever counts them once it commits (the metrics); dropped if it rolls back.
APPLIED_TRANSITIONS = "twinflow.applied_transitions"
# Points inside a transition where tests inject failures to prove nothing half-applies.
STEPS = ("after_lock", "after_state_change", "after_audit", "after_deadlines", "before_commit")


class Engine(SignoffSteps, OptionReads):
    """Moves projects and records: `fire` a trigger, `decide` on a sign-off."""

    def __init__(self, registry: WorkflowRegistry, clock=None, base_url: str = ""):
        self.registry = registry
        self.clock = clock or SystemClock()
        self.base_url = base_url.rstrip("/")
        self.step_hook: Callable[[str], None] | None = None
        load_hooks()

    # -- public operations ---------------------------------------------------------------

    def fire(
        self,
        session: Session,
        actor,
        target: "int | RecordTarget",
        trigger: str,
        *,
        comment: str | None = None,
        data: dict | None = None,
        expected_version: int | None = None,
        commit: bool = True,
    ) -> FireResult:
        """`target`: a project id, or a RecordTarget naming a record of one."""
        return self._transaction(
            session, commit, self._move, actor, target, trigger, comment, data, expected_version
        )

    def decide(
        self,
        session: Session,
        actor,
        approval_id: int,
        decision: str,
        comment: str | None = None,
        commit: bool = True,
    ) -> FireResult:
        return self._transaction(
            session, commit, self._decide, actor, approval_id, decision, comment
        )

    def _transaction(self, session, commit, step, *args) -> FireResult:
        step = _sharing_reads(step)
        try:
            result = run_locked_at_begin(session, step, args) if commit else None
            if result is None:
                result = step(session, *args)
            self._step("before_commit")
            if commit:
                session.commit()
            return result
        except BaseException:
            session.rollback()
            raise

    def definition_of(self, session: Session, project: Project) -> Definition:
        """The pinned version, its steps as they apply under the project's management mode."""
        return under(self.registry.get(project.workflow_version, session), project.management_mode)

    def record_workflow(self, session: Session, record) -> Definition:
        """The workflow version a record is pinned to; records drafted before their texts were
        stored (version unknown) follow their type's current workflow, as they did then."""
        try:
            return self.registry.get(record.workflow_version, session)
        except NotFound:
            return self.registry.record(record.workflow_name)

    def parties(self, session: Session, actor, project: Project) -> list[str]:
        return parties_of(actor, self._who(session, project))

    def record_subject(self, session, project, record, parties) -> RecordSubject:
        """A record as the engine sees it, for read-only questions (its steps, its hand)."""
        return RecordSubject(self, session, project, record, parties)

    def bump_version(self, session: Session, project: Project) -> None:
        # The new version comes back with the UPDATE (a refresh re-read the whole row).
        held = session.info.get(UNVERIFIED)  # the copy's version, while it is unproven
        checked = held is not None and held[0] is project
        values = {"b_id": project.id, "b_held": held[1] if checked else None}
        version = session.connection().execute(_BUMP[checked], values).scalar()
        if version is None:
            raise StaleCopy(project.id)
        set_committed_value(project, "version", version)

    def link(self, project: Project) -> str:
        return f"{self.base_url}/projects/{project.id}"

    # -- the one path --------------------------------------------------------------------

    def _subject(self, session, actor, target):
        if isinstance(target, RecordTarget):
            return RecordSubject.load(self, session, actor, target, self._lock)
        return ProjectSubject(self, session, self._lock(session, target))

    def _subject_of(self, session, actor, signoff: Signoff):
        project = self._lock(session, signoff.project_id)
        if signoff.is_project:
            return ProjectSubject(self, session, project)
        record = session.get(RECORD_MODELS[signoff.subject_type], signoff.subject_id)
        session.refresh(record)
        return RecordSubject(self, session, project, record, self.parties(session, actor, project))

    def _move(self, session, actor, target, trigger, comment, data, expected_version):
        subject = self._subject(session, actor, target)
        self._step("after_lock")
        definition, row, project = subject.definition, subject.row, subject.project
        named = definition.transitions_named(trigger)
        if not named:
            raise InvalidData({"trigger": [subject.unknown(trigger)]})
        mine = subject.parties(actor)
        if subject.parties_first and not any(p in s.parties for s in named for p in mine):
            raise NotPermitted(
                subject.not_party(named[0]),
                {"trigger": trigger, "parties": sorted({p for s in named for p in s.parties})},
            )
        spec = definition.transition(trigger, row.state)
        if spec is None:
            raise InvalidInState(
                subject.not_now(named[0].label), {"trigger": trigger, "state": row.state}
            )
        subject.check_project_state(spec.label)
        pending = self._pending(session, subject, spec)
        if spec.by_someone_else and subject.had_a_hand_in(actor, pending):
            raise NotPermitted(
                _(
                    "%(what)s may not be approved by one who wrote, edited or signed it; another "
                    "user must take this step.",
                    what=getattr(row, "label", None) or _("This"),
                ),
                {"trigger": trigger},
            )
        if not any(p in spec.parties for p in mine):
            raise NotPermitted(
                self._only(session, project, subject, spec),
                {"trigger": trigger, "parties": list(spec.parties)},
            )
        # A slot the Manual gives to a person: others of the same party are told who can.
        mine, refusal = person_refusal(session, project, spec, actor, mine, self.clock.now().date())
        if refusal is not None:
            raise NotPermitted(refusal, {"trigger": trigger, "parties": list(spec.parties)})
        if expected_version is not None and project.version != expected_version:
            raise StaleVersion(
                _(
                    "The project changed since you loaded it (version %(expected)s, now "
                    "%(current)s); reload and try again.",
                    expected=expected_version,
                    current=project.version,
                ),
                {"expected_version": expected_version, "current_version": project.version},
            )
        now = self.clock.now()
        comment, values = self._validate_input(spec, comment, data, now)
        if pending is not None and not subject.joins_pending:
            raise Conflict(
                _(
                    "An approval to %(step)s is already pending; decide on it in the approvals "
                    "inbox.",
                    step=spec.label.lower(),
                )
            )
        self._check_guards(session, subject, spec, actor, values, now)
        signoff = None
        if spec.needs_signoff:
            signoff = self._consent(
                session, actor, subject, spec, pending, mine, comment, data or {}, now
            )
            if signoff.status != "approved":
                return FireResult(False, project, signoff, row)
        self._apply(session, actor, subject, spec, comment, values, data or {}, now, signoff)
        return FireResult(True, project, signoff, row)

    def _only(self, session, project, subject, spec) -> str:
        """Who may take a step: a step given to one named person says who holds it today."""
        if len(spec.parties) == 1 and spec.parties[0].startswith(PERSON):
            holder = PERSONS.get(spec.parties[0].removeprefix(PERSON))
            if holder is not None:
                day = self.clock.now().date()
                return holder(session, project, day).only(spec.label.lower())
        return subject.not_party(spec)

    def _pending(self, session, subject, spec):
        """The open sign-off of this step in the subject's current round, if any."""
        if not spec.needs_signoff:
            return None
        found = self.signoffs_of(session, subject.type, subject.id, subject.round, "pending")
        return next((s for s in found if s.trigger == spec.trigger), None)

    def _apply(self, session, actor, subject, spec, comment, values, raw_data, now, signoff):
        row, definition = subject.row, subject.definition
        from_state = row.state
        machine = self.registry.machine(definition)
        # `dest: previous` (resume) goes back to the state the hold was entered from.
        dest = getattr(row, "held_from", None) if spec.dest == PREVIOUS else spec.dest
        if dest is None:
            raise InvalidInState(f"{spec.label}: the state it was held from is not known.")
        if not machine.events[spec.trigger].trigger(row, dest=dest):
            raise InvalidInState(f"{spec.label} did not apply from {from_state}.")
        self._step("after_state_change")
        ctx = self._context(session, subject, actor, values, now, comment)
        if subject.kind == "project":
            # The effects' reads do not look at the moved row: with no autoflush their first
            # query does not send it through the ORM's flush (about 600 Python calls); it
            # goes out below as one prebuilt UPDATE. An effect's own flush still sends all.
            with session.no_autoflush:
                for name in spec.effects:
                    EFFECTS[name](ctx)
        else:
            for name in spec.effects:
                EFFECTS[name](ctx)
        returned = None
        if subject.kind == "project":
            row.state_changed_at = now
            returned = hold_or_return(row, definition, from_state, now)
        # PostgreSQL: the row's UPDATE goes with the audit append (the row is locked); SQLite:
        # it runs now, as a prebuilt statement rather than through the ORM's flush.
        row_write = take_project_write(session, row) if subject.kind == "project" else None
        others = _others_may_be_pending(subject, definition, from_state, signoff)
        approving = others and signoff is not None and approval_unwritten(signoff)
        if signoff is not None and not others:
            self.write_approval(session, signoff, now)
        session.flush()
        if others:
            keep = signoff.id if signoff is not None else None
            self.withdraw_signoffs(session, subject.type, subject.id, now, keep, approving)
        subject.moved(actor, spec, from_state, comment, raw_data, signoff, now, row_write)
        self._step("after_audit")
        if subject.kind == "project":
            on_state_change(session, row, definition, from_state, row.state, now)
            if returned is not None:
                release(session, row, *returned, now, actor)
        self._step("after_deadlines")
        session.flush()
        session.info.setdefault(APPLIED_TRANSITIONS, []).append((definition.name, spec.trigger))

    # -- helpers -------------------------------------------------------------------------

    def _lock(self, session: Session, project_id: int) -> Project:
        return lock_project(session, project_id)

    def _who(self, session: Session, project: Project) -> ProjectParties:
        return project_parties(project)

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

    def _context(self, session, subject, actor, values, now, comment=None) -> Context:
        return Context(
            session,
            subject.project,
            subject.definition,
            actor,
            values,
            now,
            subject=subject.row,
            comment=comment,
            lifecycle=subject.lifecycle,
            link=self.link(subject.project),
            memo=subject.memo,
        )

    def first_guard_failure(self, session, subject, spec, actor, now, values=None):
        ctx = self._context(session, subject, actor, values or {}, now)
        for name in spec.guards:
            reason = GUARDS[name](ctx)
            if reason:
                return reason
        return None

    def _check_guards(self, session, subject, spec, actor, values, now):
        ctx = self._context(session, subject, actor, values, now)
        for name in spec.guards:
            reason = GUARDS[name](ctx)
            if reason:
                raise GuardFailed(name, reason)

    def _step(self, name: str) -> None:
        if self.step_hook is not None:
            self.step_hook(name)


def _bump(checked: bool):
    table = Project.__table__
    where = [table.c.id == bindparam("b_id")]
    if checked:  # the copy held from before the step, not yet proven current (locking.py)
        where.append(table.c.version == bindparam("b_held"))
    return (
        update(table).where(*where).values(version=table.c.version + 1).returning(table.c.version)
    )


# bump_version's UPDATE, built once (with and without the held copy's version check).
_BUMP = {checked: _bump(checked) for checked in (False, True)}


def _sharing_reads(step):
    """The step with a fresh dict of shared reads (hooks.STEP_READS) for its duration."""

    def run(session, *args):
        session.info[STEP_READS] = {}
        try:
            return step(session, *args)
        finally:
            session.info.pop(STEP_READS, None)

    return run


def _others_may_be_pending(subject, definition, from_state: str, signoff) -> bool:
    """Whether leaving `from_state` has pending sign-offs to withdraw. Only a state left by a
    sign-off step can have any (each state change withdraws them, and a project's step has
    one open at a time); applying the state's only sign-off step leaves none but its own."""
    steps = {t.trigger for t in definition.transitions_from(from_state) if t.needs_signoff}
    if subject.kind == "project" and signoff is not None and steps == {signoff.trigger}:
        return False
    return bool(steps)
