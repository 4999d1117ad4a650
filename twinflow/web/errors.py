"""Error pages in the app's look; the API keeps its JSON answers."""

from flask import g, render_template, request

from twinflow.error_handling import default_renderer
from twinflow.extensions import db

TITLES = {
    400: "That request could not be used",
    403: "You may not do this",
    404: "Not found",
    405: "Not allowed here",
    409: "The page changed in the meantime",
    422: "Some of what you sent is not valid",
    429: "Too many sign-in attempts",
    500: "Something went wrong on our side",
}
HINTS = {
    400: "If you were sending a form, reload the page and send it again.",
    403: "Your role does not give access to this. Ask an administrator if you need it.",
    404: "The address may be mistyped, or the item was removed.",
    409: "Someone else acted on this first. Reload to see the current state, then decide again.",
    500: "Nothing was changed. Try again in a moment; if it keeps happening, tell an "
    "administrator.",
}


def _hint(status: int) -> str | None:
    from flask_login import current_user

    if status == 403 and getattr(current_user, "role", None) == "admin":
        # "Ask an administrator" would send them to themselves.
        return (
            "Administrators manage users, organisations, imports and the audit trail; the "
            "steps of a project are taken by its parties (beneficiary, coordinators, Member "
            "States)."
        )
    return HINTS.get(status)


def render_error_page(status, code, message, details, exc, changes=None, back_url=None):
    """The renderer registered for "/"; views also call it for a 409 with what changed."""
    if request.path.startswith("/api/"):
        return default_renderer(status, code, message, details, exc)
    if status >= 500:
        # The failed transaction must not leak into rendering the page (the nav reads the DB).
        db.session.rollback()
        g.skip_nav_queries = True
    if code == "bad_request" and "CSRF" in (message or ""):
        message = "The form expired or did not come from this site, so nothing was changed."
    field_errors = {k: v for k, v in (details or {}).items() if isinstance(v, list)}
    body = render_template(
        "errors/error.html",
        status=status,
        title=TITLES.get(status, "Something went wrong"),
        message=message,
        hint=_hint(status),
        field_errors=field_errors if status == 422 else {},
        changes=changes or [],
        back_url=back_url,
    )
    return body, status
