"""GET /healthz (the process answers) and GET /readyz (it can serve: the database answers, its
schema is this release's, the workflow definitions are loaded). Neither needs a session nor
says anything about projects; a 503 names the reason without connection details."""

import logging

from alembic.script import ScriptDirectory
from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)
blueprint = Blueprint("ops_health", __name__)
_NO_STORE = {"Cache-Control": "no-store"}


@blueprint.get("/healthz")
def healthz():
    return {"status": "ok"}, 200, _NO_STORE


@blueprint.get("/readyz")
def readyz():
    reason = not_ready_because()
    if reason:
        return {"status": "unavailable", "reason": reason}, 503, _NO_STORE
    return {"status": "ready"}, 200, _NO_STORE


def _scripts() -> ScriptDirectory:
    scripts = current_app.extensions.get("twinflow.migration_scripts")
    if scripts is None:
        config = current_app.extensions["migrate"].migrate.get_config()
        scripts = ScriptDirectory.from_config(config)
        current_app.extensions["twinflow.migration_scripts"] = scripts
    return scripts


def not_ready_because() -> str | None:
    from twinflow.extensions import db

    registry = current_app.extensions.get("twinflow.registry")
    if registry is None or not registry.names():
        return "workflow definitions not loaded"
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            try:
                current = set(conn.scalars(text("SELECT version_num FROM alembic_version")))
            except SQLAlchemyError:
                return "database schema not created: run `twinflow db upgrade`"
    except SQLAlchemyError:
        log.warning("readyz: the database is unreachable", exc_info=True)
        return "database unreachable"
    return _schema_problem(current, _scripts())


def _schema_problem(current: set[str], scripts: ScriptDirectory) -> str | None:
    """Behind this release: not ready. Ahead (a revision this code does not know): ready, so
    the old workers keep serving after `twinflow db upgrade` ran and until they are restarted
    (migrations only add; see docs/deployment.md)."""
    heads = set(scripts.get_heads())
    if current == heads:
        return None
    known = {rev.revision for rev in scripts.walk_revisions()}
    if current and not current <= known:
        return None
    at = ", ".join(sorted(current)) or "none"
    return (
        f"database schema is behind this release (at {at}, needs {', '.join(sorted(heads))}): "
        "run `twinflow db upgrade`"
    )
