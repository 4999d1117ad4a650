"""A project move's row UPDATE, one prebuilt statement per set of columns written. PostgreSQL:
it rides in the audit append's statement (a data-modifying CTE, as its notifications already
do), one round trip fewer per move. SQLite: it runs at once, outside the ORM's unit of work,
whose flush of the same one-row UPDATE cost about 500 Python calls a move (bench/lifecycle.py
--profile)."""

from sqlalchemy import bindparam, inspect, update
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.base import NO_VALUE
from sqlalchemy.orm.exc import StaleDataError

from twinflow.projects.models import Project

_UPDATES: dict = {}  # columns written -> the UPDATE statement, built once
_COLUMNS = frozenset(inspect(Project).column_attrs.keys())


def take_project_write(session: Session, project: Project) -> tuple | None:
    """The project's unflushed changes as (UPDATE ... WHERE version = <held> RETURNING id,
    parameters), marked written in the ORM so that no flush sends them again (the version as
    the ORM would move it). None: nothing pending (an effect's query flushed it already), or
    SQLite, where the UPDATE has run here. The row is locked (SELECT ... FOR UPDATE), so the
    version holds; the append still checks that the UPDATE found it. On SQLite the version
    may be that of a copy held from before the step (locking.py): a row not found at it
    raises StaleDataError, as the ORM's versioned flush did, and the engine runs the step
    again, locking."""
    dialect = session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):
        return None  # the ORM's flush writes it
    sqlite = dialect == "sqlite"
    state = inspect(project)
    if state.transient or state.pending or state.deleted:
        return None
    # Only what was set since the row was loaded (committed_state), not every column's history.
    touched = tuple(state.committed_state)
    if not touched or not _COLUMNS.issuperset(touched):
        return None  # nothing, or a relationship too: the ORM's flush writes it all
    changes = {}
    attributes, values = state.manager, state.dict
    for key in touched:
        # What history.added would give (a value set since the load and unequal to the
        # loaded one), without building a History for each column.
        value, before = values.get(key, NO_VALUE), state.committed_state[key]
        if value is NO_VALUE:
            continue
        if attributes[key].impl.is_equal(value, before) is not True:  # as History does
            changes[key] = value
    if "version" in changes or "id" in changes:
        return None
    if not changes:  # set again to what they were: nothing to write
        written(session, project, all_columns=True)
        return None
    keys = tuple(sorted(changes))
    statement = _UPDATES.get(keys)
    if statement is None:
        table = Project.__table__
        columns = {state.mapper.get_property(k).columns[0]: k for k in keys}
        statement = _UPDATES[keys] = (
            update(table)
            .where(table.c.id == bindparam("p_id"), table.c.version == bindparam("p_held"))
            .values(
                {c.name: bindparam(f"p_{k}", type_=c.type) for c, k in columns.items()}
                | {"version": bindparam("p_version")}
            )
            .returning(table.c.id)
        )
    held = project.version
    params = {f"p_{k}": v for k, v in changes.items()}
    params |= {"p_id": project.id, "p_held": held, "p_version": held + 1}
    for key, value in changes.items():
        set_committed_value(project, key, value)
    set_committed_value(project, "version", held + 1)
    written(session, project, all_columns=True)
    if sqlite:
        if session.connection().execute(statement, params).first() is None:
            raise StaleDataError("the project's row was not at the version this move read")
        return None
    return statement, params


def written(session: Session, obj, all_columns: bool = False) -> None:
    """An object whose changes were written by a statement of ours (and set committed with
    set_committed_value) leaves the session's dirty list, so that the next flush has nothing
    to visit for it: a flush walks every modified object, about 500 Python calls, even when
    it finds nothing to send. Kept dirty if anything else is still pending on it, unless
    `all_columns`: the caller wrote every changed column (what is left was set unchanged)."""
    state = inspect(obj)
    if all_columns or not state.committed_state:
        state._commit_all(state.dict, session.identity_map)


def loaded(model, **values):
    """An object of `model` with these column values, persistent as if loaded (no history,
    nothing for a flush to send) once added to a session: for a row our own INSERT wrote.
    Built without the mapped constructor's attribute events (about 60 Python calls a row)."""
    obj = model.__mapper__.class_manager.new_instance()
    obj.__dict__.update(values)
    make_transient_to_detached(obj)
    return obj
