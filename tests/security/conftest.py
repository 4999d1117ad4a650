"""The multi-bid world, built once per backend and phase (package scope: the walks only read,
and the refusals they probe change nothing), with a loopback SMTP server for its e-mail."""

import shutil
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tests.conftest import AUDIT_KEY_OPTIONS, PG_URL, _pg_admin
from tests.factories import Factory
from tests.notifications.smtp_server import LoopbackSmtp
from tests.security.scenario import build
from twinflow.clock import FrozenClock
from twinflow.deadlines.scheduler import PassSettings, run_pass
from twinflow.notifications.smtp import SmtpSettings
from twinflow.workflow.engine import Engine

START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
BASE_URL = "http://twinflow.test"


def _database(backend, templates, folder):
    """A fresh copy of the migrated template: (url, drop) for this world alone."""
    if backend == "sqlite":
        target = folder / "world.sqlite3"
        shutil.copy(templates["sqlite"], target)
        return f"sqlite:///{target}", lambda: None
    name = f"tf_world_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{templates["postgresql"]}"'))
    url = make_url(PG_URL).set(database=name, drivername="postgresql+psycopg")

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.render_as_string(hide_password=False), drop


@pytest.fixture(scope="package", params=["open", "closed"], ids=["call-open", "call-closed"])
def world(request, backend, templates, registry, tmp_path_factory):
    from twinflow import create_app
    from twinflow.extensions import db

    folder = tmp_path_factory.mktemp(f"world-{backend}-{request.param}")
    url, drop = _database(backend, templates, folder)
    clock = FrozenClock(START)
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        CLOCK=clock,
        BASE_URL=BASE_URL,
        UPLOAD_DIR=str(folder / "uploads"),
    )
    app.config["API_TOKEN_HOURS"] = 24 * 365 * 5
    smtp = LoopbackSmtp().start()
    settings = PassSettings(
        base_url=BASE_URL,
        smtp=SmtpSettings(
            host=smtp.host, port=smtp.port, mail_from="twinflow@twinflow.test", timeout=5
        ),
        timezone=ZoneInfo("Europe/Brussels"),
        digest_hour=7,
    )
    sa = (
        create_engine(url, pool_size=5, execution_options=AUDIT_KEY_OPTIONS)
        if url.startswith("postgresql")
        else create_engine(url, connect_args={"timeout": 30}, execution_options=AUDIT_KEY_OPTIONS)
    )
    session = Session(sa, expire_on_commit=False)
    make = Factory(session, Engine(registry, clock, base_url=BASE_URL), clock)
    try:
        built = build(app, make, request.param, lambda: run_pass(session, clock, settings))
        built.smtp = smtp
        yield built
    finally:
        session.close()
        sa.dispose()
        smtp.stop()
        with app.app_context():
            db.engine.dispose()
        drop()


# -- function-scoped fixtures for the findings' regression tests --------------------------------


@pytest.fixture
def api(app):
    from tests.api.conftest import ApiClient

    app.config["API_TOKEN_HOURS"] = 24 * 365 * 5
    return ApiClient(app.test_client())


@pytest.fixture
def as_user(app):
    from tests.web.conftest import Browser

    return lambda user: Browser(app).sign_in(user)


@pytest.fixture
def cast(make):
    from tests.factories import Cast

    return Cast(make)


@pytest.fixture
def browser(app):
    from tests.web.conftest import Browser

    return lambda: Browser(app)
