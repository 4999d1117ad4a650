"""Calendar endpoints: the secret per-user feed, its issue and revocation, the project .ics."""

from flask import Blueprint, Response, abort, current_app, jsonify
from flask_login import current_user

from twinflow.deadlines.calendar import (
    deadlines_for_user,
    issue_calendar_token,
    project_open_deadlines,
    revoke_calendar_tokens,
    to_ical,
    user_for_calendar_token,
)
from twinflow.extensions import db
from twinflow.projects.models import Project
from twinflow.projects.permissions import can_view_project
from twinflow.services import get_engine

blueprint = Blueprint("deadlines", __name__)


def _ics(body: bytes, filename: str, disposition: str = "inline") -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # The feed URL is a secret: no shared cache may keep it.
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def _signed_in():
    if not current_user.is_authenticated:
        abort(401)
    return current_user._get_current_object()


@blueprint.get("/calendar/<token>.ics")
def user_feed(token: str):
    """No session needed: calendar apps fetch this URL on their own; the token is the key."""
    user = user_for_calendar_token(db.session, token)
    if user is None:
        abort(404)
    body = to_ical(
        deadlines_for_user(db.session, user),
        name=f"twinflow deadlines - {user.display_name}",
        base_url=current_app.config["BASE_URL"],
        now=get_engine().clock.now(),
    )
    return _ics(body, "twinflow-deadlines.ics")


@blueprint.post("/calendar/subscription")
def issue_subscription():
    """A new secret feed URL (the previous one stops working); shown once."""
    user = _signed_in()
    secret = issue_calendar_token(db.session, user, now=get_engine().clock.now())
    url = f"{current_app.config['BASE_URL'].rstrip('/')}/calendar/{secret}.ics"
    return jsonify({"url": url}), 201


@blueprint.post("/calendar/subscription/revoke")
def revoke_subscription():
    user = _signed_in()
    revoked = revoke_calendar_tokens(db.session, user, now=get_engine().clock.now())
    return jsonify({"revoked": revoked})


@blueprint.get("/projects/<int:project_id>/deadlines.ics")
def project_calendar(project_id: int):
    user = _signed_in()
    project = db.session.get(Project, project_id)
    if project is None or not can_view_project(user, project):
        abort(404)  # the same answer for "no such project" and "not yours to see"
    body = to_ical(
        project_open_deadlines(db.session, project),
        name=f"{project.reference} deadlines",
        base_url=current_app.config["BASE_URL"],
        now=get_engine().clock.now(),
    )
    return _ics(body, f"{project.reference.replace(' ', '-')}-deadlines.ics", "attachment")
