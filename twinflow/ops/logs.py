"""Logs as JSON lines (production) or readable lines (the demo), through the standard library's
logging with structlog's formatter: every line written while a request is served carries its
request id, and each request ends with one line saying who asked what and how it went."""

import logging
import re
import sys
import time
import uuid

import structlog
from flask import g, request

FORMATS = ("json", "console")
# A request id from the proxy or the client is kept only if it is short and plain: it is
# echoed in a header and written to the logs.
_GIVEN_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
# Load balancers poll these: their successes would drown the log.
_QUIET_ROUTES = {"/healthz", "/readyz", "/metrics"}
_HANDLER_FLAG = "_twinflow_handler"

_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def get_logger(name: str):
    """A structlog logger over the standard library's: key-value events that come out as JSON
    (or console) lines once configure_logging ran, and stay silent in a process that has not
    configured logging (a test, a library user), like any other logger."""
    return structlog.wrap_logger(
        logging.getLogger(name),
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        wrapper_class=structlog.stdlib.BoundLogger,
    )


log = get_logger("twinflow.request")


def check_format(name: str | None) -> str:
    name = (name or "json").strip().lower()
    if name not in FORMATS:
        raise ValueError(f"TWINFLOW_LOG_FORMAT={name!r} is not one of: {', '.join(FORMATS)}")
    return name


def formatter(fmt: str = "json") -> logging.Formatter:
    """For the root handler here, and for gunicorn's own loggers (deploy/gunicorn.conf.py)."""
    if check_format(fmt) == "json":
        final = [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
    else:
        final = [structlog.dev.ConsoleRenderer(colors=False)]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_SHARED, structlog.stdlib.ExtraAdder()],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *final],
    )


_CHATTY_LIBRARIES = ("transitions", "apscheduler.executors", "apscheduler.scheduler")


def configure_logging(
    fmt: str | None = "json", level: str | None = "INFO", stream=None, exclusive: bool = True
) -> None:
    """Called by each process's entry point (wsgi.py, the twinflow command), never by
    create_app: an app built in a test must not rewire the test process's logging.
    exclusive: this handler replaces any other on the root logger (Alembic's, after a
    migration run in-process), so that every line comes out once, in one format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter(fmt or "json"))
    setattr(handler, _HANDLER_FLAG, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if exclusive or getattr(h, _HANDLER_FLAG, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel((level or "INFO").upper())
    # These narrate every state callback and every job run at INFO: noise that buries our own
    # lines ("scheduler pass", requests). At DEBUG they speak again.
    quiet = root.level > logging.DEBUG
    for chatty in _CHATTY_LIBRARIES:
        logging.getLogger(chatty).setLevel(logging.WARNING if quiet else logging.NOTSET)
    structlog.configure(
        processors=[
            *_SHARED,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def _request_id() -> str:
    given = request.headers.get("X-Request-ID", "").strip()
    return given if _GIVEN_ID.fullmatch(given) else uuid.uuid4().hex


def start() -> None:
    g.request_started = time.perf_counter()
    g.request_id = _request_id()
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=g.request_id)


def route() -> str | None:
    """The URL rule (/projects/<int:project_id>), never the path: paths carry secrets such as
    calendar feed tokens, and one label per id would swamp the metrics."""
    return request.url_rule.rule if request.url_rule is not None else None


def _user_id() -> int | None:
    # Only a user this request already loaded: logging must not cost a query.
    user = g.get("api_user") or g.get("_login_user")
    return getattr(user, "id", None)


def finish(response) -> float:
    """Echoes the request id, logs the request; returns its duration in seconds."""
    if "request_id" not in g:  # an earlier hook answered before ours ran
        start()
    response.headers["X-Request-ID"] = g.request_id
    seconds = time.perf_counter() - g.request_started
    where = route()
    quiet = where in _QUIET_ROUTES and response.status_code < 400
    (log.debug if quiet else log.info)(
        "request",
        method=request.method,
        route=where,
        status=response.status_code,
        duration_ms=round(seconds * 1000, 2),
        user_id=_user_id(),
    )
    return seconds


def forget(_exc=None) -> None:
    structlog.contextvars.clear_contextvars()
