"""Error pages in the app's look; the API keeps its JSON answers."""

from flask import g, render_template, request
from werkzeug.exceptions import HTTPException

from twinflow.error_handling import default_renderer
from twinflow.extensions import db
from twinflow.i18n import current_language, gettext
from twinflow.i18n import lazy_gettext as _

TITLES = {
    400: _("That request could not be used"),
    403: _("You may not do this"),
    404: _("Not found"),
    405: _("Not allowed here"),
    409: _("The page changed in the meantime"),
    422: _("Some of what you sent is not valid"),
    429: _("Too many sign-in attempts"),
    500: _("Something went wrong on our side"),
}
HINTS = {
    400: _("If you were sending a form, reload the page and send it again."),
    403: _("Your role does not give access to this. Ask an administrator if you need it."),
    404: _("The address may be mistyped, or the item was removed."),
    409: _("Someone else acted on this first. Reload to see the current state, then decide again."),
    500: _(
        "Nothing was changed. Try again in a moment; if it keeps happening, tell an administrator."
    ),
}


def _hint(status: int) -> str | None:
    from flask_login import current_user

    if status == 403 and getattr(current_user, "role", None) == "admin":
        # "Ask an administrator" would send them to themselves.
        return gettext(
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
        message = gettext(
            "The form expired or did not come from this site, so nothing was changed."
        )
    if (
        isinstance(exc, HTTPException)
        and message == type(exc).description
        and current_language() != "en"
    ):
        message = None  # Werkzeug's stock English sentence: the translated title and hint say it
    field_errors = {k: v for k, v in (details or {}).items() if isinstance(v, list)}
    body = render_template(
        "errors/error.html",
        status=status,
        title=TITLES.get(status) or gettext("Something went wrong"),
        message=message,
        hint=_hint(status),
        field_errors=field_errors if status == 422 else {},
        changes=changes or [],
        back_url=back_url,
    )
    return body, status
