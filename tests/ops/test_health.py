"""/healthz and /readyz, as a load balancer sees them: no session needed, no project data,
and a 503 naming the reason when the app cannot serve."""

import sqlite3

from flask_migrate import downgrade
from sqlalchemy import create_engine, text

from twinflow import create_app


def test_healthz_answers_without_a_session_or_the_database(app):
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:////nonexistent/folder/db.sqlite3"
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 200
    assert answer.json == {"status": "ok"}
    assert answer.headers["Cache-Control"] == "no-store"


def test_readyz_is_ready_on_a_migrated_database_without_a_session(app, cast):
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 200, answer.json
    assert answer.json == {"status": "ready"}
    assert cast.project.title not in answer.text


def test_readyz_is_503_naming_the_reason_when_the_database_cannot_be_reached(tmp_path, backend):
    url = (
        f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}"
        if backend == "sqlite"
        else "postgresql+psycopg://twinflow:secret-password@127.0.0.1:9/twinflow"
    )
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json == {"status": "unavailable", "reason": "database unreachable"}
    assert "secret-password" not in answer.text and "127.0.0.1" not in answer.text


def test_readyz_is_503_on_an_empty_database_and_on_one_behind_this_release(tmp_path, app, db_url):
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    fresh = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{empty}")
    answer = fresh.test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json["reason"] == "database schema not created: run `twinflow db upgrade`"

    with app.app_context():
        downgrade(revision="0007")
    behind = app.test_client().get("/readyz")
    assert behind.status_code == 503
    assert behind.json["reason"].startswith("database schema is behind this release (at 0007")
    assert behind.json["reason"].endswith("run `twinflow db upgrade`")


def test_readyz_stays_ready_when_the_database_is_ahead_of_this_release(app, db_url):
    # What an old worker sees after `twinflow db upgrade` ran for the next release.
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_next_release'"))
    engine.dispose()
    assert app.test_client().get("/readyz").status_code == 200
