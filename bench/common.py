"""Shared set-up for the benchmarks: a fresh migrated database on SQLite or PostgreSQL."""

import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def fresh_database(backend: str, pg_url: str | None):
    """Returns (url, cleanup). The schema comes from the real migrations."""
    from flask_migrate import upgrade

    from twinflow import create_app

    if backend == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="twinflow-bench-"))
        url = f"sqlite:///{folder / 'bench.sqlite3'}"

        def cleanup():
            for path in folder.iterdir():
                path.unlink()
            folder.rmdir()
    else:
        name = f"tf_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(
            make_url(pg_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(pg_url).set(database=name, drivername="postgresql+psycopg")
        url = url.render_as_string(hide_password=False)

        def cleanup():
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        from twinflow.extensions import db

        db.engine.dispose()
    return url, cleanup
