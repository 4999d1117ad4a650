"""Calendar endpoints: the secret per-user feed, its issue and revocation, the project .ics."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    request,
    url_for,
)
from flask_login import current_user, login_required

from twinflow.deadlines.calendar import (
    deadlines_for_user,
    issue_calendar_token,
    project_open_deadlines,
    revoke_calendar_tokens,
    to_ical,
    user_for_calendar_token,
)
from twinflow.extensions import db
from twinflow.i18n import LANGUAGES, current_language, speaking
from twinflow.i18n import gettext as _
from twinflow.projects.models import Project
from twinflow.projects.permissions import can_view_project
from twinflow.services import get_engine
from twinflow.web.filters import deadline_title

blueprint = Blueprint("deadlines", __name__)


def _ics(body: bytes, filename: str, disposition: str = "inline") -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # The feed URL is a secret: no shared cache may keep it.
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def _signed_in():
    return current_user._get_current_object()


def _answer(payload: dict, message: str, status: int = 200):
    """JSON for scripts; for the page's form, the message and back to the page."""
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        return jsonify(payload), status
    flash(message, "success")
    return redirect(url_for("web_notifications.inbox"))


@blueprint.get("/calendar/<token>.ics")
def user_feed(token: str):
    """No session needed: calendar apps fetch this URL on their own; the token is the key."""
    user = user_for_calendar_token(db.session, token)
    if user is None:
        abort(404)
    # The feed's owner's own language (a calendar app sends no preference of theirs); without
    # a choice, the one this request asks for.
    with speaking(user.language if user.language in LANGUAGES else current_language()):
        body = to_ical(
            deadlines_for_user(db.session, user),
            name=_("twinflow deadlines - %(name)s", name=user.display_name),
            base_url=current_app.config["BASE_URL"],
            now=get_engine().clock.now(),
            title_of=deadline_title,
        )
    return _ics(body, "twinflow-deadlines.ics")


@blueprint.post("/calendar/subscription")
@login_required
def issue_subscription():
    """A new secret feed URL (the previous one stops working); shown once."""
    user = _signed_in()
    secret = issue_calendar_token(db.session, user, now=get_engine().clock.now())
    url = f"{current_app.config['BASE_URL'].rstrip('/')}/calendar/{secret}.ics"
    message = _(
        "Your calendar address (shown once; add it to your calendar as a subscription): %(url)s",
        url=url,
    )
    return _answer({"url": url}, message, 201)


@blueprint.post("/calendar/subscription/revoke")
@login_required
def revoke_subscription():
    user = _signed_in()
    revoked = revoke_calendar_tokens(db.session, user, now=get_engine().clock.now())
    return _answer({"revoked": revoked}, _("Your calendar address no longer works."))


@blueprint.get("/projects/<int:project_id>/deadlines.ics")
@login_required
def project_calendar(project_id: int):
    user = _signed_in()
    project = db.session.get(Project, project_id)
    if project is None or not can_view_project(user, project):
        abort(404)  # the same answer for "no such project" and "not yours to see"
    body = to_ical(
        project_open_deadlines(db.session, project, user),
        name=_("%(reference)s deadlines", reference=project.reference),
        base_url=current_app.config["BASE_URL"],
        now=get_engine().clock.now(),
        title_of=deadline_title,
    )
    return _ics(body, f"{project.reference.replace(' ', '-')}-deadlines.ics", "attachment")
