"""Migration hygiene: one head, and upgrading an empty database gives exactly the models."""

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


def test_upgrading_an_empty_database_gives_the_models_schema(db_url):
    # db_url was built by running every migration on an empty database.
    engine = create_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


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
