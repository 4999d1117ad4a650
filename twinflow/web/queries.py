"""Read-only queries behind the pages, each a fixed number of SQL statements however many
projects exist (the dashboard and lists must not grow one query per row)."""

from datetime import datetime
from functools import partial

from sqlalchemy import and_, bindparam, case, false, func, select
from sqlalchemy.orm import Session

from twinflow.approvals.models import Signoff
from twinflow.approvals.operations import (
    ROLE_PARTIES,
    involvement_clause,
    owed_rows,
    pending_statement,
)
from twinflow.audit.display import load_data
from twinflow.audit.models import AuditEvent
from twinflow.audit.permissions import event_visible, mark_withheld_actors
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.permissions import visible_deadlines_clause
from twinflow.projects.models import Project
from twinflow.projects.permissions import project_scope, visible_projects_clause
from twinflow.proposals.models import Proposal
from twinflow.web.project_page import detours

# Statements built once per kind of reader. Building one (and computing its cache key, which
# SQLAlchemy remembers on the statement) cost 0.2-0.4 ms each, several times a dashboard; the
# visibility clauses below read nothing of a user but what `reader_key` holds, so two users with
# the same reader key get the same SQL (reader_key). Bounded: cleared when full.
_BUILT: dict = {}
_BUILT_MAX = 1024


def reader_key(user) -> tuple:
    """All that visible_projects_clause, involvement_clause and visible_deadlines_clause read
    of a user: the role, whether active, the scope (countries covered, institution, circulated
    only) and the country (a Member State's lead partnerships)."""
    return (user.role, bool(getattr(user, "is_active", False)), project_scope(user), user.country)


def kept(key: tuple, build):
    """The statement kept under `key`, built on first use. The key must hold everything the
    statement is built from (reader_key for a user's visibility)."""
    try:
        return _BUILT[key]
    except KeyError:
        if len(_BUILT) >= _BUILT_MAX:
            _BUILT.clear()
        statement = _BUILT[key] = build()
        return statement


def _built(name: str, user, build, *extra):
    return kept((name, reader_key(user), *extra), build)


def approvals_waiting_for(session: Session, user, limit: int = 50):
    """[(sign-off, project, parties I would decide as)] owed by me: the one pending query
    (pending_signoffs_for's, its statement kept per kind of reader)."""
    if not ROLE_PARTIES.get(user.role):
        return []
    statement = _built("approvals", user, partial(pending_statement, user, limit), limit)
    return owed_rows(session.execute(statement).all(), user)


def action_candidates(session: Session, registry, user, limit: int = 8) -> list[Project]:
    """Projects sitting in a state from which this user's role starts some transition, the
    longest-waiting first; the caller asks the engine which actions are really open."""
    # The lifecycles' current texts by content hash: a new edition builds a new statement.
    editions = tuple((name, registry.current(name).version) for name in registry.names())
    build = partial(_action_candidates, registry, user, limit)
    statement = _built("action_candidates", user, build, limit, editions)
    return [] if statement is None else list(session.scalars(statement))


def _action_candidates(registry, user, limit: int):
    parties = ROLE_PARTIES.get(user.role, set())
    clauses, every = [], set()
    for name in registry.names():
        definition = registry.current(name)
        skip = detours(definition)
        states = {
            s
            for t in definition.transitions
            if set(t.parties) & parties and t.trigger not in skip
            for s in t.sources
        }
        if states:
            clauses.append((Project.workflow == name, Project.state.in_(sorted(states))))
            every |= states
    if not clauses:
        return None  # this role starts no step anywhere: no query at all
    # Every state first, then each lifecycle's own as a CASE: an OR of `workflow = ...` terms
    # made SQLite read every project of the lifecycle by the workflow index and sort them all
    # (2,000 projects); now it reads those states by the state index.
    return (
        select(Project)
        .where(
            involvement_clause(user),
            Project.state.in_(sorted(every)),
            case(*clauses, else_=false()),
        )
        .order_by(Project.state_changed_at, Project.id)
        .limit(limit)
    )


# One statement whatever the ids (an expanding parameter): built once.
_PENDING_OF = (
    select(Signoff)
    .where(
        Signoff.subject_type == "project",
        Signoff.subject_id.in_(bindparam("ids", expanding=True)),
        Signoff.status == "pending",
    )
    .order_by(Signoff.id)
)


def pending_signoffs_of(session: Session, project_ids: list[int]) -> dict[int, list[Signoff]]:
    """{project id: its own pending sign-offs} in one query, as engine.pending_requests gives
    them for one project (records' sign-offs are not the project's steps)."""
    found: dict[int, list[Signoff]] = {pid: [] for pid in project_ids}
    if project_ids:
        rows = session.scalars(_PENDING_OF, {"ids": list(project_ids)})
        for signoff in rows:
            found[signoff.subject_id].append(signoff)
    return found


def proposals_to_mark(session: Session, user, limit: int = 8) -> list[tuple[Project, int]]:
    """[(project, proposals received)] in selection with no proposal marked yet and no sign-off
    pending: marking one is the next step of a coordinator or the beneficiary, though it is no
    trigger (so action_candidates cannot find it)."""
    if user.role not in ("coordinator", "beneficiary"):
        return []
    statement = _built("proposals_to_mark", user, partial(_proposals_to_mark, user, limit), limit)
    rows = session.execute(statement).all()
    return [(project, count) for project, count in rows if count]


def _proposals_to_mark(user, limit: int):
    this_round = and_(
        Proposal.project_id == Project.id,
        Proposal.call_round == Project.recirculation_count + 1,  # Project.call_round, in SQL
    )
    received = select(func.count(Proposal.id)).where(this_round).scalar_subquery()
    marked = select(Proposal.id).where(this_round, Proposal.is_selected).exists()
    pending = (
        select(Signoff.id)
        .where(
            Signoff.project_id == Project.id,
            Signoff.subject_type == "project",
            Signoff.status == "pending",
        )
        .exists()
    )
    return (
        select(Project, received)
        .where(involvement_clause(user), Project.state == "selection", ~marked, ~pending)
        .order_by(Project.state_changed_at, Project.id)
        .limit(limit)
    )


def selections_to_record(session: Session, user, limit: int = 8) -> list[Project]:
    """Projects in selection whose every proposal of the round has its eligibility recorded
    but whose meeting is not recorded yet, no sign-off pending: recording it (with the
    minutes) is a coordinator's next step, and no trigger."""

    if user.role != "coordinator":
        return []
    statement = _built(
        "selections_to_record", user, partial(_selections_to_record, user, limit), limit
    )
    return list(session.scalars(statement))


def _selections_to_record(user, limit: int):
    from twinflow.selection.models import SelectionAssessment, SelectionRecord

    this_round = and_(
        Proposal.project_id == Project.id,
        Proposal.call_round == Project.recirculation_count + 1,  # Project.call_round, in SQL
    )
    unassessed = (
        select(Proposal.id)
        .outerjoin(SelectionAssessment, SelectionAssessment.proposal_id == Proposal.id)
        .where(this_round, SelectionAssessment.id.is_(None))
        .exists()
    )
    recorded = (
        select(SelectionRecord.id)
        .where(
            SelectionRecord.project_id == Project.id,
            SelectionRecord.call_round == Project.recirculation_count + 1,
        )
        .exists()
    )
    pending = (
        select(Signoff.id)
        .where(
            Signoff.project_id == Project.id,
            Signoff.subject_type == "project",
            Signoff.status == "pending",
        )
        .exists()
    )
    return (
        select(Project)
        .where(
            involvement_clause(user),
            Project.state == "selection",
            select(Proposal.id).where(this_round).exists(),
            ~unassessed,
            ~recorded,
            ~pending,
        )
        .order_by(Project.state_changed_at, Project.id)
        .limit(limit)
    )


def upcoming_deadlines(session: Session, user, now: datetime, limit: int = 10):
    """[(deadline, project)] open that I may see, overdue first, then the nearest (none for
    administrators, who act on no deadline)."""

    def build():
        clause = false() if user.role == "admin" else visible_deadlines_clause(user)
        return (
            select(Deadline, Project)
            .join(Project, Project.id == Deadline.project_id)
            .where(Deadline.status == "open", clause)
            .order_by(Deadline.due_at, Deadline.id)
            .limit(limit)
        )

    rows = session.execute(_built("upcoming_deadlines", user, build, limit)).all()
    return [(d, p) for d, p in rows]


def recent_activity(session: Session, user, limit: int = 10, scan: int = 60):
    """[(event, project, data)] on projects I may see, with events hidden from me left out."""

    # Read `limit` rows at a time: most readers see every event, so the first batch is
    # enough and the other fifty rows of the scan are never built into objects.
    def build():
        return (
            select(AuditEvent, Project)
            .join(Project, Project.id == AuditEvent.project_id)
            .where(visible_projects_clause(user))
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.seq.desc())
            .limit(scan)
            .execution_options(yield_per=limit)
        )

    rows = session.execute(_built("recent_activity", user, build, limit, scan))
    out = []
    with rows:
        for event, project in rows:
            data = load_data(event)
            if event_visible(user, project, event, data):
                out.append((event, project, data))
            if len(out) >= limit:
                break
    mark_withheld_actors(session, user, [(event, data) for event, _, data in out])
    return out


def open_calls(session: Session, user, now: datetime):
    """[(project, my proposal or None)]: calls still accepting proposals, nearest deadline first."""

    def build():
        return (
            select(Project)
            .where(
                visible_projects_clause(user),
                Project.state == "call_open",
                Project.proposal_deadline > bindparam("now", type_=Project.proposal_deadline.type),
            )
            .order_by(Project.proposal_deadline, Project.id)
        )

    projects = list(session.scalars(_built("open_calls", user, build), {"now": now}))
    mine = {}
    if projects and user.role == "member_state":
        rows = session.scalars(
            _MY_PROPOSALS, {"ids": [p.id for p in projects], "country": user.country}
        )
        by_round = {(p.project_id, p.call_round): p for p in rows}
        mine = {p.id: by_round.get((p.id, p.call_round)) for p in projects}
    return [(p, mine.get(p.id)) for p in projects]


# A Member State's proposals to open calls (open_calls): one statement whatever the ids.
_MY_PROPOSALS = select(Proposal).where(
    Proposal.project_id.in_(bindparam("ids", expanding=True)),
    Proposal.member_state == bindparam("country"),
)


def count_by_state(session: Session, user, where, filters=None) -> dict[str, int]:
    """{state: projects} the user sees that match `where`: the conditions of `filters` (a
    ListQuery, kept by it when given) or none (the dashboard)."""

    def build():
        return (
            select(Project.state, func.count(Project.id))
            .where(visible_projects_clause(user), *where)
            .group_by(Project.state)
        )

    if where and filters is None:
        return dict(session.execute(build()).all())
    return dict(session.execute(_built("count_by_state", user, build, filters)).all())
