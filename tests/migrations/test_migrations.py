"""Migration hygiene: one head, and upgrading an empty database gives exactly the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from twinflow.orm import Base


def test_the_migrations_have_exactly_one_head(app):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def _on_this_backend(dialect: str):
    """Alembic's filter: an object the models build on one backend only (`ddl_if`, e.g. the
    trigram index of PostgreSQL) is compared only on that backend."""

    def include(obj, name, kind, reflected, compare_to):
        only = getattr(obj, "_ddl_if", None)
        return reflected or only is None or only.dialect in (None, dialect)

    return include


# SQLite cannot reflect an expression index: alembic warns that it skips the models' (the
# portfolio's timeline index, built on PostgreSQL only and compared there).
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_upgrading_an_empty_database_gives_the_models_schema(db_url):
    # db_url was built by running every migration on an empty database.
    engine = create_engine(db_url)
    with engine.connect() as conn:
        include = _on_this_backend(conn.dialect.name)
        context = MigrationContext.configure(conn, opts={"include_object": include})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_the_audit_filters_have_their_trigram_indexes_on_postgresql_only(db_url):
    engine = create_engine(db_url)
    found = inspect(engine)
    names = {i["name"] for t in ("audit_events", "projects") for i in found.get_indexes(t)}
    backend = engine.dialect.name
    engine.dispose()
    trigram = {"ix_audit_events_actor_email_trgm", "ix_projects_reference_trgm"}
    assert names & trigram == (trigram if backend == "postgresql" else set())


def test_downgrading_to_base_and_upgrading_again_works(app, db_url):
    with app.app_context():
        downgrade(revision="base")
        engine = create_engine(db_url)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        engine.dispose()
        upgrade()
        engine = create_engine(db_url)
        assert "audit_events" in inspect(engine).get_table_names()
        engine.dispose()
