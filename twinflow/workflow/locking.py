"""Locking a project for a transition (or a feature's write): one row lock, read fresh, on
PostgreSQL and SQLite alike."""

from sqlalchemy import bindparam, inspect, select, update
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.util import identity_key

from twinflow.i18n import gettext
from twinflow.projects.models import Project
from twinflow.workflow.errors import NotFound, WorkflowError

# SQLite's lock: a no-op UPDATE (the version stays) returning the row as the Project.
_SQLITE_LOCK_AND_READ = (
    update(Project)
    .where(Project.id == bindparam("pid"))
    .values(version=Project.version)
    .returning(Project)
)
_REFRESH_IN_PLACE = {"populate_existing": True, "synchronize_session": False}
# session.info keys of a step run under SQLite's write lock taken at BEGIN (see begin_locked):
# that it is, and the copy of the project held from before it with the version it showed.
WRITE_LOCKED = "twinflow.write_locked_at_begin"
UNVERIFIED = "twinflow.unverified_copy"


class StaleCopy(Exception):
    """The copy of the project a step decided on is not the committed one: run it again,
    locking (and so re-reading) the row first."""


def lock_project(session: Session, project_id: int) -> Project:
    """Lock the project row and read it fresh, in one statement.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite ignores FOR UPDATE, so a no-op
    UPDATE ... RETURNING takes the database write lock and reads the row at once; writers
    then queue. A project this session already holds is refreshed in place (callers keep
    their reference); loading it anew would trip SQLAlchemy's version check when another
    process changed it meanwhile. A record's move locks its project.
    """
    if session.info.get(WRITE_LOCKED):
        return _held_or_read(session, project_id)
    if session.get_bind().dialect.name == "sqlite":
        found = session.execute(
            _SQLITE_LOCK_AND_READ,
            {"pid": project_id},
            execution_options=_REFRESH_IN_PLACE,
        ).scalar_one_or_none()
        return _found(found, project_id)
    held = session.identity_map.get(identity_key(Project, project_id))
    if held is not None:
        try:
            session.refresh(held, with_for_update=True)
        except InvalidRequestError:  # the row is gone
            held = None
        return _found(held, project_id)
    return _found(session.get(Project, project_id, with_for_update=True), project_id)


def _found(project: Project | None, project_id: int) -> Project:
    if project is None:
        raise NotFound(gettext("No project %(id)s.", id=project_id))
    return project


# The lock and the state write in one statement, on SQLite. A step's checks must see what the
# step will write over, so they ran after a row lock (a no-op UPDATE ... RETURNING here), and the
# state UPDATE followed: two statements on the one row. SQLite has one writer for the whole
# database: BEGIN IMMEDIATE takes that same lock when the transaction opens, so every table a
# guard reads is as committed and stays so until the step commits. Only the project row a
# session held from before may be old, and the step's own versioned write of it proves it is
# not (`UPDATE ... WHERE version = <the copy's>`: StaleDataError if another wrote it meanwhile);
# a step that does not write it checks the version by one SELECT at the end. On a mismatch, or
# a refusal reasoned on that copy, the engine rolls back and runs the step again the locking
# way, so a loser's answer is what the lock gave (tests/workflow/test_concurrency.py).
# PostgreSQL keeps SELECT ... FOR UPDATE: its locks are per row, and features write guarded
# tables (proposals, reports, team) under the project's row lock without moving its version,
# so a version check alone would miss them (tests/workflow/test_lock_race.py).


def run_locked_at_begin(session: Session, step, args):
    """SQLite: the engine's step under the write lock taken at BEGIN, with no row lock
    statement; None when it must run the locking way (again, after a rollback)."""
    if not may_lock_at_begin(session):
        return None
    begin_locked(session)
    try:
        result = step(session, *args)
        verify_copy(session)
        return result
    except (StaleCopy, StaleDataError, WorkflowError) as exc:
        if isinstance(exc, WorkflowError) and UNVERIFIED not in session.info:
            raise  # reasoned on rows read under the lock: the true answer
        session.rollback()  # decided on an old copy of the project: again, locking
        return None
    finally:
        end_locked(session)


def may_lock_at_begin(session: Session) -> bool:
    """SQLite, no transaction open on the connection yet, nothing pending in the session."""
    if session.get_bind().dialect.name != "sqlite" or session.new or session.dirty:
        return False
    if session.deleted:
        return False
    return not session.connection().connection.dbapi_connection.in_transaction


def begin_locked(session: Session) -> None:
    # On the driver's connection: transaction control needs none of SQLAlchemy's statement
    # handling (about 60 Python calls a step), and pysqlite then knows a transaction is open.
    session.connection().connection.dbapi_connection.execute("BEGIN IMMEDIATE")
    session.info[WRITE_LOCKED] = True


def end_locked(session: Session):
    """Leaves the mode; returns (project, version) of a copy not yet proven current, or None."""
    session.info.pop(WRITE_LOCKED, None)
    return session.info.pop(UNVERIFIED, None)


def verify_copy(session: Session) -> None:
    """The held copy is the committed row: its version moved by this step's checked write, or
    the row still shows the version the copy had."""
    held = session.info.get(UNVERIFIED)
    if held is None:
        return
    project, version = held
    if project.version != version:
        return  # written with `WHERE version = <version>`: proven then
    found = session.execute(select(Project.version).where(Project.id == project.id)).scalar()
    if found != version:
        raise StaleCopy(project.id)


def version_condition(session: Session, project: Project):
    """For a write that moves the version: `version = <the copy's>` while the copy is unproven."""
    held = session.info.get(UNVERIFIED)
    return None if held is None or held[0] is not project else Project.version == held[1]


def _held_or_read(session: Session, project_id: int) -> Project:
    held = session.identity_map.get(identity_key(Project, project_id))
    if held is None:  # read under the write lock: current
        return _found(session.get(Project, project_id), project_id)
    if "version" in inspect(held).expired_attributes:
        try:
            session.refresh(held)  # read under the write lock: current
        except InvalidRequestError:  # the row is gone
            held = None
        return _found(held, project_id)
    session.info[UNVERIFIED] = (held, held.version)
    return held
