"""twinflow: a workflow engine for the lifecycle of EU Twinning projects."""

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine as SAEngine
from werkzeug.routing import IntegerConverter

from config import get_config
from twinflow import error_handling, ops
from twinflow import models as _models  # noqa: F401 - completes the metadata
from twinflow.api.fields import MAX_ID
from twinflow.audit.keys import AuditKey, AuditKeyError, engine_options, hmac_hex
from twinflow.clock import SystemClock
from twinflow.extensions import csrf, db, migrate
from twinflow.workflow.engine import Engine
from twinflow.workflow.registry import WorkflowRegistry

REPO_ROOT = Path(__file__).resolve().parents[1]


class BoundedIntConverter(IntegerConverter):
    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def create_app(config: str | type | None = None, **overrides) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    # Before any route: every <int:...> in a URL is bounded, so a huge id is a 404, never an
    # integer overflow in the database driver (a 500).
    app.url_map.converters["int"] = BoundedIntConverter
    app.config.from_object(get_config(config) if not isinstance(config, type) else config)
    app.config.update(overrides)
    _configure_database(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(REPO_ROOT / "migrations"))
    _init_engine(app)
    # Request ids, logs and metrics of every request, /healthz, /readyz, /metrics, ProxyFix.
    ops.init_app(app)
    _init_auth(app)
    # Every form is protected; the API blueprint exempts itself (bearer tokens, no cookies).
    csrf.init_app(app)
    error_handling.init_app(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _configure_database(app: Flask) -> None:
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'twinflow.sqlite3'}"
        )
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):  # the scheme some hosts hand out; SQLAlchemy wants this
        uri = "postgresql+psycopg://" + uri[len("postgres://") :]
    elif uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://") :]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if uri.startswith("sqlite"):
        options.setdefault("connect_args", {"timeout": 30})
    # Every session on the engine appends and verifies audit events with the key.
    options["execution_options"] = {
        **options.get("execution_options", {}),
        **engine_options(_audit_key(app)),
    }
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _audit_key(app: Flask) -> AuditKey:
    """Production refuses to start without the audit key: a chain sealed with a key anyone
    could guess (or none) is no defence. Development and testing bring their own fixed keys."""
    try:
        return AuditKey(app.config.get("AUDIT_KEY") or "")
    except AuditKeyError as exc:
        raise AuditKeyError(
            f"{exc}: twinflow refuses to start without the key that seals the audit trail. "
            "Set it to a random secret of at least 32 characters, kept outside the database "
            "(e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(32))'); see "
            "docs/security.md."
        ) from None


@event.listens_for(SAEngine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers work beside the one writer; foreign keys are off in SQLite by default."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
        # The audit chain's HMAC, computed inside the append statement (audit/chain.py) under
        # the seal the statement passes: the connection never holds the audit key.
        dbapi_connection.create_function("twinflow_hmac", 2, hmac_hex, deterministic=True)


def _init_engine(app: Flask) -> None:
    registry = WorkflowRegistry(app.config.get("WORKFLOWS_DIR"))
    clock = app.config.get("CLOCK") or SystemClock()
    app.extensions["twinflow.registry"] = registry
    engine = Engine(registry, clock, app.config["BASE_URL"])
    app.extensions["twinflow.engine"] = engine
    # The reference data (workflows/reference/*.yaml) too: instruments, sectors, countries.
    from twinflow.reference import reference_for

    app.extensions["twinflow.reference"] = reference_for(engine)


def _init_auth(app: Flask) -> None:
    from twinflow.auth import sessions, throttle

    sessions.init_app(app)
    throttle.init_app(app)


def _register_blueprints(app: Flask) -> None:
    """The API and the web UI, then any feature's routes.py exposing a `blueprint`."""
    import importlib
    import pkgutil

    from twinflow import api_setup, web_setup

    api_setup.init_app(app)
    web_setup.init_app(app)
    package = Path(__file__).parent
    for info in sorted(pkgutil.iter_modules([str(package)]), key=lambda i: i.name):
        if info.ispkg and (package / info.name / "routes.py").exists():
            module = importlib.import_module(f"twinflow.{info.name}.routes")
            app.register_blueprint(module.blueprint)


def _register_cli(app: Flask) -> None:
    from twinflow.cli import register

    register(app)
