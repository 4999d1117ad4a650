"""Fixtures: every test gets its own database, built by the real migrations, on SQLite and
(when TWINFLOW_TEST_DATABASE_URL is set) on PostgreSQL; time is a FrozenClock."""

import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from config import TestingConfig
from twinflow.audit.keys import engine_options
from twinflow.clock import FrozenClock
from twinflow.workflow.engine import Engine
from twinflow.workflow.registry import WorkflowRegistry

PG_URL = os.environ.get("TWINFLOW_TEST_DATABASE_URL")
START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        backends = ["sqlite"] + (["postgresql"] if PG_URL else [])
        only = metafunc.definition.get_closest_marker("only_backend")
        if only:
            backends = [b for b in backends if b in only.args]
        metafunc.parametrize("backend", backends, scope="session")


def pytest_configure(config):
    config.addinivalue_line("markers", "only_backend(*names): run on these database backends")


def _pg_admin():
    url = make_url(PG_URL).set(drivername="postgresql+psycopg")
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=None)


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    from twinflow import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        from twinflow.extensions import db

        db.engine.dispose()


@pytest.fixture(scope="session")
def templates(tmp_path_factory, worker_id):
    """One migrated template database per backend per test worker, copied for each test."""
    made = {}
    sqlite_file = tmp_path_factory.mktemp("template") / "template.sqlite3"
    _migrate(f"sqlite:///{sqlite_file}")
    made["sqlite"] = sqlite_file
    if PG_URL:
        name = f"tf_template_{worker_id}_{os.getpid()}"
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        _migrate(
            make_url(PG_URL)
            .set(database=name, drivername="postgresql+psycopg")
            .render_as_string(hide_password=False)
        )
        made["postgresql"] = name
        yield made
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        yield made


@pytest.fixture(scope="session")
def worker_id(request):
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


@pytest.fixture
def db_url(backend, templates, tmp_path):
    """A URL of a brand-new, fully migrated database for this test alone."""
    yield from _fresh_database(backend, templates, tmp_path)


@pytest.fixture(scope="module")
def module_db_url(backend, templates, tmp_path_factory):
    """One fresh database shared by a module's tests, for tests that write nothing to it
    (e.g. requests refused before any view runs): hundreds of cases without one copy each."""
    yield from _fresh_database(backend, templates, tmp_path_factory.mktemp("module_db"))


def _fresh_database(backend, templates, folder):
    """A copy of the migrated template database; `templates` None: an empty database."""
    if backend == "sqlite":
        target = folder / "test.sqlite3"
        if templates is not None:
            shutil.copy(templates["sqlite"], target)
        yield f"sqlite:///{target}"
        return
    name = f"tf_test_{uuid.uuid4().hex[:12]}"
    template = "" if templates is None else f' TEMPLATE "{templates["postgresql"]}"'
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{template}'))
    yield (
        make_url(PG_URL)
        .set(database=name, drivername="postgresql+psycopg")
        .render_as_string(hide_password=False)
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# Sessions of the engine and the factories seal audit events with the test key, as the app's.
AUDIT_KEY_OPTIONS = engine_options(TestingConfig.AUDIT_KEY)


@pytest.fixture
def sa_engine(db_url):
    engine = (
        create_engine(db_url, pool_size=30, max_overflow=10, execution_options=AUDIT_KEY_OPTIONS)
        if db_url.startswith("postgresql")
        else create_engine(
            db_url, connect_args={"timeout": 30}, execution_options=AUDIT_KEY_OPTIONS
        )
    )
    yield engine
    engine.dispose()


@pytest.fixture
def session(sa_engine):
    with Session(sa_engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def clock():
    return FrozenClock(START)


@pytest.fixture(scope="session")
def registry():
    return WorkflowRegistry()


@pytest.fixture
def engine(registry, clock):
    return Engine(registry, clock, base_url="http://twinflow.test")


@pytest.fixture
def make(session, engine, clock):
    from tests.factories import Factory

    return Factory(session, engine, clock)


@pytest.fixture
def app(db_url, clock, tmp_path):
    from twinflow import create_app

    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=db_url,
        CLOCK=clock,
        BASE_URL="http://twinflow.test",
        # Uploaded documents go to the test's own folder, never the instance folder.
        UPLOAD_DIR=str(tmp_path / "uploads"),
    )
    yield app
    with app.app_context():
        from twinflow.extensions import db

        db.engine.dispose()


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(config, items):
    """A test for a backend that is not configured here is deselected, not skipped: a skip
    would read as a pass that never happened. CI always configures PostgreSQL."""
    keep, drop = [], []
    for item in items:
        wanted = item.get_closest_marker("only_backend")
        empty = any(
            "empty parameter set" in str(m.kwargs.get("reason", ""))
            for m in item.iter_markers("skip")
        )
        if wanted and empty:
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def empty_db_url(backend, tmp_path):
    """A database with nothing in it, not even tables (a restore's or an old release's
    target): a file on SQLite, a fresh database on PostgreSQL, dropped afterwards."""
    folder = tmp_path / "empty"  # beside, not over, the test's own database file
    folder.mkdir()
    yield from _fresh_database(backend, None, folder)
