"""Locking a project for a transition (or a feature's write): one row lock, read fresh, on
PostgreSQL and SQLite alike."""

from sqlalchemy import bindparam, update
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from twinflow.projects.models import Project
from twinflow.workflow.errors import NotFound

# SQLite's lock: a no-op UPDATE (the version stays) returning the row as the Project.
_SQLITE_LOCK_AND_READ = (
    update(Project)
    .where(Project.id == bindparam("pid"))
    .values(version=Project.version)
    .returning(Project)
)
_REFRESH_IN_PLACE = {"populate_existing": True, "synchronize_session": False}


def lock_project(session: Session, project_id: int) -> Project:
    """Lock the project row and read it fresh, in one statement.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite ignores FOR UPDATE, so a no-op
    UPDATE ... RETURNING takes the database write lock and reads the row at once; writers
    then queue. A project this session already holds is refreshed in place (callers keep
    their reference); loading it anew would trip SQLAlchemy's version check when another
    process changed it meanwhile. A record's move locks its project.
    """
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
        raise NotFound(f"No project {project_id}.")
    return project
