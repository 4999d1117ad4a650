"""Every API error as {"error": {"code", "message", "details"}}, with field errors flattened."""

from flask import jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

# Where webargs files its errors; the client only cares about the field names inside.
_LOCATIONS = {"json", "query", "querystring", "headers", "view_args", "path", "form", "multipart"}
# Headers a refusal must carry so clients can react (RFC 9110 / RFC 6750).
_KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")


def flatten(messages, prefix: str = "") -> dict:
    """{"a": {"0": ["bad"]}} -> {"a.0": ["bad"]}: every field error on one level."""
    if not isinstance(messages, dict):
        return {prefix or "body": messages if isinstance(messages, list) else [messages]}
    out: dict = {}
    for key, value in messages.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            out.update(flatten(value, path))
        else:
            out[path] = value
    return out


def _from_abort(exc, code: str, message: str, details):
    """flask-smorest's abort(status, message=..., errors=...) and webargs' validation errors
    carry their own message and field errors in exc.data."""
    data = getattr(exc, "data", None)
    if not isinstance(data, dict):
        return code, message, details
    errors = data.get("errors", data.get("messages"))
    if errors is None:
        return code, data.get("message", message), {}
    if "message" not in data:
        message = "The request is not valid; see details for each field."
        code = "invalid_data" if exc.code == 422 else code
    merged: dict = {}
    for location, found in errors.items() if isinstance(errors, dict) else [("", errors)]:
        merged.update(flatten(found) if location in _LOCATIONS else flatten({location: found}))
    return code, data.get("message", message), merged


def _routing_message(exc, message: str) -> str:
    """Werkzeug's words for a URL no route matches are written for web pages; say what was
    asked and where the routes are listed."""
    if request.url_rule is not None or getattr(exc, "data", None):
        return message
    asked = f"{request.method} {request.path}"
    if isinstance(exc, MethodNotAllowed):
        allowed = ", ".join(sorted(set(exc.valid_methods or ()) - {"HEAD", "OPTIONS"}))
        return f"{asked} is not allowed; this path answers {allowed}."
    if isinstance(exc, NotFound):
        return (
            f"Nothing answers {asked}: no such API route, or an id out of range. "
            "The routes are listed at /api/v1/docs."
        )
    return message


def render_api_error(status: int, code: str, message: str, details, exc):
    code, message, details = _from_abort(exc, code, message, details or {})
    message = _routing_message(exc, message)
    if status == 401:
        code = "unauthorized"
    response = jsonify({"error": {"code": code, "message": message, "details": details}})
    response.status_code = status
    if isinstance(exc, HTTPException):
        for name, value in exc.get_headers():
            if name in _KEPT_HEADERS:
                response.headers[name] = value
        extra = (getattr(exc, "data", None) or {}).get("headers") or {}
        for name, value in extra.items():
            response.headers[name] = value
    if status == 401 and "WWW-Authenticate" not in response.headers:
        response.headers["WWW-Authenticate"] = 'Bearer realm="twinflow"'
    return response
