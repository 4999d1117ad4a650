"""One place that turns every error into an answer: JSON under /api/, an HTML page elsewhere.

The API and the web UI each register a renderer for their URL prefix; nothing reaches the
client as a stack trace, and an unexpected error is logged and answered with a plain 500.
"""

import logging

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError

from twinflow.workflow.errors import (
    Conflict,
    GuardFailed,
    InvalidData,
    NotFound,
    NotPermitted,
    WorkflowError,
)

log = logging.getLogger(__name__)

STATUS = {NotPermitted: 403, NotFound: 404, Conflict: 409, GuardFailed: 422, InvalidData: 422}


def status_of(exc: WorkflowError) -> int:
    for kind, status in STATUS.items():
        if isinstance(exc, kind):
            return status
    return 400


def register_renderer(app: Flask, prefix: str, renderer) -> None:
    """renderer(status: int, code: str, message: str, details: dict, exc) -> response."""
    app.extensions.setdefault("twinflow.error_renderers", []).append((prefix, renderer))
    # Longest prefix first, so "/api/" wins over "/".
    app.extensions["twinflow.error_renderers"].sort(key=lambda item: -len(item[0]))


def default_renderer(status, code, message, details, exc):
    response = jsonify({"error": {"code": code, "message": message, "details": details}})
    response.status_code = status
    return response


def render(status: int, code: str, message: str, details: dict, exc):
    """The answer to an error the caller builds itself, in the shape of its URL prefix."""
    from flask import current_app

    return _render(current_app, status, code, message, details, exc)


def _render(app: Flask, status: int, code: str, message: str, details: dict, exc):
    for prefix, renderer in app.extensions.get("twinflow.error_renderers", []):
        if request.path.startswith(prefix) or request.path == prefix.rstrip("/"):
            return renderer(status, code, message, details, exc)
    return default_renderer(status, code, message, details, exc)


def init_app(app: Flask) -> None:
    @app.errorhandler(WorkflowError)
    def _workflow_error(exc: WorkflowError):
        return _render(app, status_of(exc), exc.code, exc.message, exc.details, exc)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        code = (exc.name or "error").lower().replace(" ", "_")
        details = getattr(exc, "data", {}) or {}
        message = exc.description or exc.name
        if isinstance(details, dict) and "messages" in details:  # webargs / flask-smorest
            details = details["messages"]
            message = "The request is not valid; see details for each field."
        elif not isinstance(details, dict):
            details = {}
        return _render(app, exc.code, code, message, details, exc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _render(
            app,
            500,
            "internal_error",
            "Something went wrong on our side; the action was not applied.",
            {},
            InternalServerError(),
        )
