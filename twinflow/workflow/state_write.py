"""PostgreSQL: a project move's row UPDATE rides in its audit append's statement (a
data-modifying CTE, as its notifications already do), one round trip fewer per move."""

from sqlalchemy import bindparam, inspect, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from twinflow.projects.models import Project

_UPDATES: dict = {}  # columns written -> the UPDATE statement, built once


def take_project_write(session: Session, project: Project) -> tuple | None:
    """The project's unflushed changes as (UPDATE ... WHERE version = <held> RETURNING id,
    parameters), marked written in the ORM so that no flush sends them again (the version as
    the ORM would move it). None: not PostgreSQL, or nothing pending (an effect's query
    flushed it already). The row is locked (SELECT ... FOR UPDATE), so the version holds; the
    append still checks that the UPDATE found it."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    state = inspect(project)
    if state.transient or state.pending or state.deleted:
        return None
    changes = {}
    for prop in state.mapper.column_attrs:
        added = state.attrs[prop.key].history.added
        if added:
            changes[prop.key] = added[0]
    if not changes or "version" in changes or "id" in changes:
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
    return statement, params
