"""Every API error as {"error": {"code", "message", "details"}}, with field errors flattened."""

from flask import jsonify
from werkzeug.exceptions import HTTPException

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


def render_api_error(status: int, code: str, message: str, details, exc):
    code, message, details = _from_abort(exc, code, message, details or {})
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
