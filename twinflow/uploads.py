"""Request bodies bounded by the upload limit before anything reads them, and a clear answer
when one is too large: JSON under /api/, a message on the documents page in the web UI."""

from flask import Flask, flash, redirect, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from twinflow import error_handling
from twinflow.services import get_upload_limits

# Room for the multipart framing and the small form fields around the file itself: a file just
# over the limit still reaches the storage, which refuses it with the same words.
MARGIN = 64 * 1024
WEB_UPLOAD_ENDPOINT = "web_documents.upload"


def size_text(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


def _bound_body() -> None:
    request.max_content_length = get_upload_limits().max_bytes + MARGIN


def _too_large(exc: RequestEntityTooLarge):
    limit = get_upload_limits().max_bytes
    sent = request.content_length
    if sent is not None and sent <= limit:  # a form field over Flask's form memory limit
        message = "A form field is too large."
        details: dict = {}
    else:
        reason = f"is larger than the limit of {size_text(limit)}"
        message = f"The upload {reason}; nothing was stored."
        details = {"file": [reason]}
    if request.endpoint == WEB_UPLOAD_ENDPOINT and request.view_args:
        flash(message, "error")
        return redirect(url_for("web_documents.documents_page", **request.view_args), 303)
    return error_handling.render(413, "too_large", message, details, exc)


def init_app(app: Flask) -> None:
    # First of all before_request functions: CSRF protection reads the form, hence the body.
    app.before_request_funcs.setdefault(None, []).insert(0, _bound_body)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
