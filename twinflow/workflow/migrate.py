"""Moving running projects to another version of their definition (process instance migration).

A plan is checked as a whole first (target version, state map, projects named); then each
selected project is planned on its own: its state mapped (same name, or the map), the open
deadlines compared by key with what the mapped state sets in the new version (dropped,
kept, added), its pending sign-offs checked against the new version. A dry run reports the
plans; an applied run re-plans each project under its row lock and applies it in its own
transaction, so one refused project leaves the others to go on.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from twinflow.approvals.models import Signoff
from twinflow.audit.operations import append_event
from twinflow.deadlines.operations import (
    add_state_deadlines,
    deadlines_to_add,
    drop_deadlines,
)
from twinflow.deadlines.reads import open_deadlines
from twinflow.projects.models import Project
from twinflow.workflow.data import parse_trigger_data
from twinflow.workflow.definition import Definition
from twinflow.workflow.errors import (
    DefinitionError,
    InvalidData,
    NotFound,
    NotPermitted,
    WorkflowError,
)
from twinflow.workflow.migration_report import MigrationReport, ProjectMigration
from twinflow.workflow.models import WorkflowVersion

ACTION = "workflow_migrated"


def can_migrate_workflows(user) -> bool:
    """Moving projects between definition versions is for administrators."""
    return user is not None and getattr(user, "is_active", False) and user.role == "admin"


# -- sign-offs: the one place this module reads or changes them ------------------------------


@dataclass(frozen=True)
class PendingSignoff:
    id: int
    trigger: str
    parties: tuple[str, ...]
    data: dict
    withdraw: Callable[[datetime], None] = field(repr=False, compare=False)


def pending_signoffs(session: Session, project_id: int) -> list[PendingSignoff]:
    """The project's own pending sign-offs (the `signoffs` table; its records' sign-offs
    follow their own pinned workflows, which a project's migration does not change)."""
    rows = session.scalars(
        select(Signoff)
        .where(
            Signoff.subject_type == "project",
            Signoff.subject_id == project_id,
            Signoff.status == "pending",
        )
        .order_by(Signoff.id)
    )

    def withdrawer(row: Signoff) -> Callable[[datetime], None]:
        def withdraw(now: datetime) -> None:
            row.status, row.closed_at = "withdrawn", now

        return withdraw

    return [
        PendingSignoff(r.id, r.trigger, tuple(r.parties), dict(r.data or {}), withdrawer(r))
        for r in rows
    ]


# -- the operation -----------------------------------------------------------------------------


def migrate_projects(
    session: Session,
    engine,
    actor,
    name: str,
    to_version: str,
    *,
    projects: list[int] | None = None,
    mapping: dict[str, str] | None = None,
    dry_run: bool,
) -> MigrationReport:
    """Plan (dry run) or apply the move of workflow `name`'s running projects to `to_version`.

    `actor` is the administrator asking (None: the command line, whose operator is trusted).
    Raises NotFound (workflow or version) or InvalidData (every bad field) before any project
    is touched. An applied run commits once per migrated project, as the engine commits once
    per transition; a dry run writes nothing.
    """
    if actor is not None and not can_migrate_workflows(actor):
        raise NotPermitted("Only administrators move projects to another definition version.")
    mapping = dict(mapping or {})
    named = list(dict.fromkeys(projects)) if projects is not None else None
    try:
        target = _target(session, engine.registry, name, to_version)
        _check(session, name, target, projects, mapping)
        report = MigrationReport(name, target.version, dry_run, mapping)
        selected, report.already_current = _select(session, engine.registry, name, target, named)
        if dry_run:
            now = engine.clock.now()
            for project_id in selected:
                project = session.get(Project, project_id)
                report.projects.append(
                    _plan(session, engine.registry, project, target, mapping, now)
                )
            return report
    finally:
        session.rollback()  # read only so far; each project now moves in its own transaction
    for project_id in selected:
        item = _apply_one(session, engine, actor, project_id, target, mapping)
        if item is None:
            report.already_current.append(project_id)
        else:
            report.projects.append(item)
    return report


def _apply_one(session, engine, actor, project_id, target, mapping) -> ProjectMigration | None:
    try:
        project = _lock(engine, session, project_id)
        if project.workflow_version == target.version:  # migrated meanwhile by someone else
            session.rollback()
            return None
        now = engine.clock.now()
        item = _plan(session, engine.registry, project, target, mapping, now)
        if item.outcome == "refused":
            session.rollback()
            return item
        _execute(session, actor, project, target, item, now)
        session.commit()
        return item
    except WorkflowError as exc:
        session.rollback()
        return ProjectMigration(project_id, "", "", target.version, "").refuse(exc.message)
    except BaseException:
        session.rollback()
        raise


def _lock(engine, session: Session, project_id: int) -> Project:
    """The project row, locked and read fresh as the engine locks it for a transition."""
    return engine._lock(session, project_id)


# -- checking the request ----------------------------------------------------------------------


def _target(session: Session, registry, name: str, version: str) -> Definition:
    known = name in registry.names() or session.scalar(
        select(exists().where(WorkflowVersion.name == name))
    )
    if not known:
        raise NotFound(f"No workflow named {name!r}; known: {', '.join(registry.names())}")
    try:
        target = _load(registry, session, version)
    except NotFound as exc:
        raise NotFound(
            f"{exc.message} (the current version of {name} is {_current_version(registry, name)})."
        ) from None
    if target.name != name:
        raise NotFound(f"Version {version!r} is a version of {target.name!r}, not of {name!r}.")
    return target


def _load(registry, session: Session, version: str) -> Definition:
    """A version by its hash; NotFound when unknown, or when its stored text no longer loads
    (an old edition naming a guard since removed): it is reported, never a server error."""
    try:
        return registry.get(version, session)
    except DefinitionError as exc:
        raise NotFound(
            f"Workflow version {version!r} is stored but no longer loads: {exc.problems[0][1]}"
        ) from None


def _current_version(registry, name: str) -> str:
    try:
        return registry.current(name).version
    except NotFound:
        return "none: its file is gone"


def _check(session, name, target, projects, mapping) -> None:
    """Every bad field at once, named as the API names it (map.<state>, projects.<index>)."""
    errors: dict[str, list[str]] = {}
    states = ", ".join(target.states)
    for old, new in mapping.items():
        if new not in target.states:
            errors[f"map.{old}"] = [
                f"{new!r} is not a state of {name} version {target.version} (states: {states})"
            ]
        elif new in target.terminal_states:
            errors[f"map.{old}"] = [f"{new!r} ends the lifecycle; a migration never ends a project"]
    if projects:
        found = dict(
            session.execute(
                select(Project.id, Project.workflow).where(Project.id.in_(set(projects)))
            ).all()
        )
        for i, project_id in enumerate(projects):
            if project_id not in found:
                errors[f"projects.{i}"] = [f"no project {project_id}"]
            elif found[project_id] != name:
                errors[f"projects.{i}"] = [
                    f"project {project_id} runs {found[project_id]!r}, not {name!r}"
                ]
    if errors:
        raise InvalidData(errors, "The migration request is not valid; see each field.")


def _select(session, registry, name, target, named) -> tuple[list[int], list[int]]:
    """(project ids to plan, ids named that already run the target). By default the running
    projects on other versions; named projects are planned even when ended, to say why not."""
    query = select(Project.id, Project.workflow_version, Project.state).where(
        Project.workflow == name
    )
    if named is not None:
        query = query.where(Project.id.in_(named))
    selected, current = [], []
    for project_id, version, state in session.execute(query.order_by(Project.id)):
        if version == target.version:
            current.append(project_id)
        elif named is not None or not _ended(session, registry, version, state):
            selected.append(project_id)
    return selected, current


def _ended(session, registry, version: str, state: str) -> bool:
    try:
        return state in _load(registry, session, version).terminal_states
    except NotFound:
        return False  # planned, and refused with the reason


# -- one project -------------------------------------------------------------------------------


def _plan(session, registry, project, target, mapping, now) -> ProjectMigration:
    item = ProjectMigration(
        project.id,
        project.reference,
        project.workflow_version,
        target.version,
        project.state,
    )
    try:
        source = _load(registry, session, project.workflow_version)
    except NotFound as exc:
        return item.refuse(f"its own version cannot be read: {exc.message}")
    if project.state in source.terminal_states:
        label = source.states[project.state].label.lower()
        return item.refuse(f"it has ended ({label}); only running projects move")
    item.to_state, item.mapped_by = _map_state(project.state, target, mapping)
    if item.to_state is None:
        return item.refuse(
            f"its state {project.state!r} is not in version {target.version}; map it "
            f"to one of: {', '.join(s for s in target.states if s not in target.terminal_states)}"
        )
    if project.held_from is not None:  # unmapped and gone: resume no longer applies
        item._held_from = _map_state(project.held_from, target, mapping)[0]
    _plan_deadlines(session, project, source, target, mapping, item, now)
    for signoff in pending_signoffs(session, project.id):
        reason = _unfit(signoff, target, item.to_state, now)
        if reason is None:
            item.signoffs_kept.append(signoff.id)
        else:
            item.withdrawn.append({"id": signoff.id, "trigger": signoff.trigger, "reason": reason})
            item._withdraw.append(signoff)
    return item


def _map_state(state: str, target: Definition, mapping: dict) -> tuple[str | None, str | None]:
    if state in mapping:
        return mapping[state], "map"
    if state in target.states:
        return state, "same_name"
    return None, None


def _plan_deadlines(session, project, source, target, mapping, item, now) -> None:
    """Each open deadline is compared by key with what its state (mapped) sets in the new
    version: kept, or dropped. Those on hold from a detour (a suspension) go by the state
    they were set in. The mapped state's keys the old state had not are added."""
    for deadline in open_deadlines(session, project.id):
        if deadline.set_in_state == project.state:
            home = item.to_state
        else:
            home = _map_state(deadline.set_in_state, target, mapping)[0]
        keys = {s.key for s in target.states[home].deadlines} if home else set()
        row = _deadline_row(deadline)
        if deadline.key.split("#", 1)[0] in keys:
            item.kept.append(row)
            if home != deadline.set_in_state:
                item._rehome.append((deadline, home))
        else:
            item.dropped.append(row)
            item._drop.append(deadline)
    had = {s.key for s in source.states[project.state].deadlines}
    item._add_keys = [s.key for s in target.states[item.to_state].deadlines if s.key not in had]
    planned = deadlines_to_add(session, project, target, item.to_state, item._add_keys, now)
    item.added = [{"id": None, **d} for d in planned]  # ids come when they are created


def _deadline_row(deadline) -> dict:
    return {
        "id": deadline.id,
        "key": deadline.key,
        "title": deadline.title,
        "due_at": deadline.due_at,
    }


def _unfit(signoff: PendingSignoff, target: Definition, state: str, now) -> str | None:
    """Why a pending sign-off cannot be completed under the new version, or None."""
    spec = target.transition(signoff.trigger, state)
    if spec is None:
        return f"{signoff.trigger} does not leave {state} in the new version"
    if not spec.signoff:
        return f"{signoff.trigger} needs no sign-off in the new version"
    if set(spec.signoff) != set(signoff.parties):
        return f"its parties changed from {', '.join(signoff.parties)} to {', '.join(spec.signoff)}"
    try:
        parse_trigger_data(spec, signoff.data, now, check_future=False)
    except InvalidData as exc:
        fields = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.errors.items())
        return f"its data does not fit the new version ({fields})"
    return None


def _execute(session, actor, project, target, item, now) -> None:
    """Apply the plan inside the project's transaction; the flush bumps its version."""
    if session.get(WorkflowVersion, target.version) is None:
        # The text must be stored for the project to be loaded later (a current file's is
        # stored when a project first starts on it; this may be the first).
        session.add(
            WorkflowVersion(
                version=target.version,
                name=target.name,
                kind=target.kind,
                source=target.source_text,
            )
        )
        session.flush()
    project.workflow_version = target.version
    project.state = item.to_state
    if project.held_from is not None:
        project.held_from = item._held_from
    for deadline, home in item._rehome:
        deadline.set_in_state = home
    drop_deadlines(session, item._drop, now)
    created = add_state_deadlines(session, project, target, item.to_state, item._add_keys, now)
    item.added = [_deadline_row(d) for d in created]
    for signoff in item._withdraw:
        signoff.withdraw(now)
    session.flush()
    append_event(
        session,
        action=ACTION,
        now=now,
        actor=actor,
        project_id=project.id,
        from_state=item.from_state,
        to_state=item.to_state,
        data={
            "workflow": project.workflow,
            "from_version": item.from_version,
            "to_version": item.to_version,
            "state_map": {"from": item.from_state, "to": item.to_state, "by": item.mapped_by},
            "deadlines_added": [d["key"] for d in item.added],
            "deadlines_dropped": [d["id"] for d in item.dropped],
            "signoffs_withdrawn": [s["id"] for s in item.withdrawn],
        },
    )
    item.outcome = "migrated"
