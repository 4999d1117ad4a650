"""Deadlines follow the project: set on entering a state, closed when it is left or met.

These operations join the caller's transaction (they flush, never commit): the engine calls
`on_state_change` inside each transition, and a feature that records a report calls
`record_deadline_met` inside its own operation.
"""

from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.deadlines.due_dates import deadline_title, due_dates, interval_days
from twinflow.deadlines.holds import freeze, is_hold
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.schedule import first_alert
from twinflow.deadlines.statements import (
    CLOSE_AND_READ,
    CLOSE_AT_END,
    EXISTING,
    INSERT,
    OPEN,
    close_where,
    left_state,
    open_of,
    supersede,
)
from twinflow.orm import held_as_written
from twinflow.workflow.definition import DeadlineSpec, Definition
from twinflow.workflow.errors import InvalidData, NotFound

HISTORICAL = "historical"


def on_state_change(
    session: Session,
    project,
    definition: Definition,
    from_state: str,
    to_state: str,
    now: datetime,
) -> list[dict]:
    """Close what the move ends and create what the new state sets; returns the new ones
    (the rows inserted: not in the session, no id). A hold (suspension) closes nothing: it
    freezes, and the return from it keeps, the open deadlines; holds.release moves them by
    its length."""
    from_spec, to_spec = definition.states[from_state], definition.states[to_state]
    if from_state != to_state and to_state != "cancelled":
        if is_hold(definition, to_state):
            freeze(session, project.id)
            return []
        if is_hold(definition, from_state):
            return []
    if not (
        from_spec.deadlines or to_spec.deadlines or to_spec.terminal or to_state == "cancelled"
    ):
        return []  # most moves: nothing to close, create or wake, and no query spent on it
    existing = None  # the project's deadlines, once read
    # The new state's deadlines and their dates, computed once for the close and the create.
    planned = [(spec, due_dates(spec, project, now)) for spec in to_spec.deadlines]
    if to_state == "cancelled":
        close_where(session, open_of(project), "cancelled", now)
        return []
    if to_spec.terminal:
        # Closing meets what the last state asked for; anything still open no longer applies
        # (one UPDATE for both, prebuilt: it runs at every project's close).
        session.execute(CLOSE_AT_END, {"pid": project.id, "state": from_state, "now": now})
        return []
    if not from_spec.deadlines:
        pass  # deadlines are only ever set in states that declare them: nothing to close
    elif from_state == to_state:
        # Re-entering the same state (a re-circulation) replaces its deadlines.
        where = (*open_of(project), Deadline.set_in_state == from_state)
        close_where(session, where, "superseded", now)
    elif _is_detour(definition, from_state, to_state):
        # Editions before `dest: previous` (a hold): a suspension is not the end of
        # implementation; its deadlines stay open, silent until the project comes back.
        session.execute(
            update(Deadline)
            .where(*open_of(project), Deadline.set_in_state == from_state)
            .values(next_alert_at=None)
        )
    elif to_spec.deadlines:
        # The close and the read of what exists (for both helpers below) in one statement.
        existing = _close_and_read(session, project, from_state, now, planned)
        _drop_unstarted_periods(session, project, definition, from_state, now, existing)
    else:
        close_where(session, (*open_of(project), *left_state(from_state)), "met", now)
        _drop_unstarted_periods(session, project, definition, from_state, now, existing)
    if not to_spec.deadlines:
        return []
    created = _create_rows(session, project, to_state, now, planned, existing)
    if _is_detour(definition, to_state, from_state):
        # Only a way back from a detour finds silenced deadlines to wake (a query saved on
        # every other move into a state with deadlines).
        _wake_after_detour(session, project, to_state, now)
    return created


def cancel_left_behind(session: Session, project_id: int, keep_state: str, now: datetime) -> None:
    """Going back (a re-circulation from selection or later): the open deadlines of the states
    left behind were neither met nor late, they stopped applying: cancelled. Those set in
    `keep_state` are left to the usual rules of re-entering it."""
    close_where(
        session,
        (
            Deadline.project_id == project_id,
            Deadline.status == OPEN,
            Deadline.set_in_state != keep_state,
        ),
        "cancelled",
        now,
    )


def place_imported(session: Session, placed, now: datetime) -> dict[int, tuple[int, int]]:
    """Imported projects enter their states as live ones would: each state's deadlines are set
    from the project's dates (or from the import, for those counted from entering the state).
    Those that fell before the import are its past: recorded as historical, never reminded,
    never escalated. `placed`: (project, definition) pairs of new projects (flushed), all
    written in one flush. Returns {project id: (open, historical)}."""
    counts: dict[int, tuple[int, int]] = {}
    for project, definition in placed:
        live = past = 0
        for spec in definition.states[project.state].deadlines:
            for due_at, key in due_dates(spec, project, now):
                deadline = _new_deadline(spec, key, due_at, project, project.state, now)
                if due_at < now:
                    deadline.status, deadline.closed_at = HISTORICAL, now
                    past += 1
                else:
                    deadline.next_alert_at = first_alert(deadline, now)
                    live += 1
                session.add(deadline)
        counts[project.id] = (live, past)
    session.flush()
    return counts


def record_deadline_met(
    session: Session,
    project_id: int,
    key: str,
    *,
    now: datetime,
    actor=None,
    note: str | None = None,
) -> Deadline:
    """Mark a "met when recorded" deadline met, e.g. when the interim report it asks for is
    recorded. `key` is either exact ("interim_report#3") or a family ("interim_report"), which
    meets the earliest open one. Raises NotFound when no such deadline is open."""
    if not key or not isinstance(key, str):
        raise InvalidData({"key": ["a deadline key such as 'interim_report' is required"]})
    if "#" in key:
        matches_key = Deadline.key == key
    else:
        matches_key = (Deadline.key == key) | Deadline.key.startswith(f"{key}#", autoescape=True)
    query = (
        select(Deadline)
        .where(
            Deadline.project_id == project_id,
            Deadline.status == OPEN,
            Deadline.met_on == "record",
            matches_key,
        )
        .order_by(Deadline.due_at, Deadline.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    deadline = session.scalar(query)
    if deadline is None:
        raise NotFound(
            f"Project {project_id} has no open deadline {key!r} waiting for a record.",
            {"project_id": project_id, "key": key},
        )
    deadline.status, deadline.closed_at, deadline.next_alert_at = "met", now, None
    session.flush()
    append_event(
        session,
        action="deadline_met",
        now=now,
        actor=actor,
        project_id=project_id,
        data={"deadline_id": deadline.id, "key": deadline.key, "note": note},
    )
    return deadline


# -- helpers -------------------------------------------------------------------------------


def _close_and_read(session, project, from_state, now, planned) -> list:
    """`close_where` of what leaving `from_state` meets, as one UPDATE ... RETURNING that also reads
    what `_wanted` and `_drop_unstarted_periods` need: the still counting deadlines of the
    state left and those under the keys the new state sets (rows it does not close are
    written unchanged). As `_existing` reads them: as committed, the closed ones as met.
    `planned`: (spec, its due dates) of the new state's deadlines."""
    keys = [key for _spec, dates in planned for _due, key in dates]
    values = {"pid": project.id, "state": from_state, "keys": keys, "now": now}
    out = []
    for row in session.connection().execute(CLOSE_AND_READ, values):
        columns = row._asdict()
        # The session's copy, as committed; else a plain record (`supersede` writes it).
        deadline = held_as_written(session, Deadline, row.id, columns)
        out.append(SimpleNamespace(**columns) if deadline is None else deadline)
    return out


def _is_detour(definition: Definition, from_state: str, to_state: str) -> bool:
    """A move to a state whose only way forward leads back (suspension -> resume)."""
    onward = {t.dest for t in definition.transitions_from(to_state)}
    terminal = {n for n, s in definition.states.items() if s.terminal}
    return from_state in onward and not (onward - terminal - {from_state})


def _drop_unstarted_periods(session, project, definition, from_state, now, existing) -> None:
    """Ending implementation early: the quarters that no longer end by the (new) end date owe
    no report. The periods are computed again from the project's dates, as on creation.
    `existing`: the project's deadlines if already read (else read here)."""
    specs = [
        s
        for s in definition.states[from_state].deadlines
        if s.every is not None and s.met_on == "record"
    ]
    if not specs:
        return
    still_owed = {key for spec in specs for _due, key in due_dates(spec, project, now)}
    families = tuple(f"{spec.key}#" for spec in specs)
    dropped = [
        deadline
        for deadline in (_existing(session, project) if existing is None else existing)
        if deadline.status == OPEN
        and deadline.set_in_state == from_state
        and deadline.key.startswith(families)
        and deadline.key not in still_owed
    ]
    supersede(session, dropped, now)


def _wake_after_detour(session: Session, project, to_state: str, now: datetime) -> None:
    """Back from a detour: the state's open deadlines alert again."""
    for deadline in session.scalars(
        select(Deadline).where(
            Deadline.project_id == project.id,
            Deadline.status == OPEN,
            Deadline.set_in_state == to_state,
            Deadline.next_alert_at.is_(None),
        )
    ):
        deadline.next_alert_at = first_alert(deadline, now)


def _create_rows(session, project, to_state, now, planned, existing) -> list[dict]:
    """The transition's hot path of `_create`: the new state's deadlines written in one
    INSERT of plain rows (entering implementation sets 17; as ORM objects each cost more
    Python than its row's share of the statement). Returns the rows (no id, not in the
    session). `planned`: (spec, its due dates); `existing`: the project's deadlines if the
    caller read them already."""
    rows = []
    for spec, key, due_at, stale in _wanted(session, project, None, now, existing, planned):
        supersede(session, stale, now)  # the same obligation, now due on another date
        row = _deadline_row(spec, key, due_at, project, to_state, now)
        row["next_alert_at"] = first_alert(SimpleNamespace(**row), now)
        rows.append(row)
    if rows:
        session.flush()  # the superseded ones first
        session.connection().execute(INSERT, rows)
    return rows


def _create(session, project, definition, to_state, now, specs=None) -> list[Deadline]:
    """The deadlines `specs` (by default the state's) set now, added through the session (the
    workflow-migration callers report their ids)."""
    specs = definition.states[to_state].deadlines if specs is None else specs
    if not specs:
        return []
    created = []
    for spec, key, due_at, stale in _wanted(session, project, specs, now):
        supersede(session, stale, now)  # the same obligation, now due on another date
        deadline = _new_deadline(spec, key, due_at, project, to_state, now)
        deadline.next_alert_at = first_alert(deadline, now)
        created.append(deadline)
    session.add_all(created)
    session.flush()
    return created


def _deadline_row(spec, key, due_at, project, to_state, now) -> dict:
    return dict(
        project_id=project.id,
        key=key,
        title=deadline_title(spec, key),
        set_in_state=to_state,
        met_on=spec.met_on,
        due_at=due_at,
        status=OPEN,
        reminder_offsets_days=[interval_days(r) for r in spec.reminders],
        notify_parties=list(spec.notify),
        escalate_every_days=interval_days(spec.escalate_every) if spec.escalate_every else None,
        alerts_sent=0,
        created_at=now,
    )


def _new_deadline(spec, key, due_at, project, to_state, now) -> Deadline:
    return Deadline(**_deadline_row(spec, key, due_at, project, to_state, now))


def _existing(session, project) -> list[Deadline]:
    """The project's deadlines that still count (open, met or waived), as committed (a
    deadline this session held may have been met or waived by another since)."""
    return list(
        session.scalars(
            EXISTING, {"pid": project.id}, execution_options={"populate_existing": True}
        )
    )


def _wanted(
    session, project, specs, now, existing=None, planned=None
) -> list[tuple[DeadlineSpec, str, datetime, list]]:
    """(spec, key, due date, open deadlines it supersedes) of each deadline `specs` set now
    (or `planned`: (spec, its due dates), computed already)."""
    # One read of what exists (a transition's hot path; see bench/transition_throughput.py).
    earlier: dict[str, list[Deadline]] = {}
    for d in _existing(session, project) if existing is None else existing:
        if d.status in (OPEN, "met", "waived"):  # one the caller just superseded no longer counts
            earlier.setdefault(d.key, []).append(d)
    if planned is None:
        planned = [(spec, due_dates(spec, project, now)) for spec in specs]
    out = []
    for spec, dates in planned:
        for due_at, key in dates:
            same_key = earlier.get(key, [])
            if any(d.due_at == due_at for d in same_key):
                continue  # resuming a suspended project must not duplicate its deadlines
            if any(d.decided_by_id is not None and d.status != "met" for d in same_key):
                continue  # waived, or dated by a coordinator: the project's dates don't undo it
            out.append((spec, key, due_at, [d for d in same_key if d.status == OPEN]))
    return out


# -- a project moved to another version of its definition (workflow/migrate.py) --------------


def deadlines_to_add(session, project, definition, state, keys, now) -> list[dict]:
    """What `add_state_deadlines` would create, without creating it: key, title, due date."""
    specs = [s for s in definition.states[state].deadlines if s.key in keys]
    return [
        {"key": key, "title": deadline_title(spec, key), "due_at": due_at}
        for spec, key, due_at, _stale in _wanted(session, project, specs, now)
    ]


def add_state_deadlines(session, project, definition, state, keys, now) -> list[Deadline]:
    """The deadlines of `state` whose spec key is in `keys`, created as entering it creates
    them: a new version of the definition gave the state obligations it did not have."""
    specs = [s for s in definition.states[state].deadlines if s.key in keys]
    return _create(session, project, definition, state, now, specs=specs) if specs else []


def drop_deadlines(session: Session, deadlines, now: datetime) -> None:
    """Open deadlines whose obligation the new version no longer has: superseded (kept in
    the history, never deleted), and silent from now on."""
    for deadline in deadlines:
        deadline.status, deadline.closed_at, deadline.next_alert_at = "superseded", now, None
    session.flush()


def follow_project_dates(session: Session, project, definition: Definition, now: datetime):
    """After the project's dates moved (an addendum extends the end), the current state's
    deadlines follow: those whose date moved are superseded and set anew, a new quarter's
    appear, and those whose date did not move keep their alert progress."""
    state = definition.states[project.state]
    wanted = {(key, due) for spec in state.deadlines for due, key in due_dates(spec, project, now)}
    families = {spec.key for spec in state.deadlines}
    for deadline in session.scalars(
        select(Deadline).where(
            Deadline.project_id == project.id,
            Deadline.status == OPEN,
            Deadline.set_in_state == project.state,
        )
    ):
        if (
            deadline.key.split("#", 1)[0] in families
            and (deadline.key, deadline.due_at) not in wanted
            and not deadline.dated_by_hand  # a coordinator's date stands
        ):
            deadline.status, deadline.closed_at, deadline.next_alert_at = "superseded", now, None
    session.flush()
    return _create(session, project, definition, project.state, now)
