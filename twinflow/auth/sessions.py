"""Browser sessions: who a cookie belongs to, and the headers every answer to a signed-in
user carries (no caching of personal pages; HSTS in production)."""

from functools import cache

from flask import Flask, g, request
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from twinflow.api.fields import MAX_ID
from twinflow.extensions import db, login_manager
from twinflow.i18n import gettext


def N_(text: str) -> str:  # noqa: N802 - gettext's name for "marked, translated later"
    return text


def _with_organisation():
    from twinflow.auth.models import User
    from twinflow.organisations.models import Organisation

    # Every page asks whom the user's organisation covers (the project rule): read with the
    # user in one statement rather than two lazy loads later.
    return [joinedload(User.affiliation).joinedload(Organisation.covered)]


WITH_ORGANISATION = _with_organisation()


@cache
def _user_by_id():
    """The user loader's statement, built once: `session.get` with options rebuilt the
    statement and its cache key at every request (~5% of a page). Same columns, same eager
    organisation, the id bound per call."""
    from twinflow.auth.models import User

    return select(User).options(*WITH_ORGANISATION).where(User.id == bindparam("ident"))


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, with the signing serializer made once per set of keys:
    Flask builds it for every request that opens or saves a session, an API call included."""

    def __init__(self):
        self._serializers: dict = {}

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if keys not in self._serializers:
            self._serializers = {keys: super().get_signing_serializer(app)}
        return self._serializers[keys]


def load_user(user_id: str):
    """Flask-Login's "<id>:<session generation>" (User.get_id); a cookie made before the
    user's sessions were ended carries an old generation and signs no one in."""
    ident, _, generation = (user_id or "").partition(":")
    if not (ident.isdigit() and generation.isdigit()) or int(ident) > MAX_ID:
        return None
    # unique(): the organisation's countries are a joined collection (one row per country).
    rows = db.session.execute(_user_by_id(), {"ident": int(ident)})
    user = rows.unique().scalar_one_or_none()
    if user is None or not user.is_active or str(user.session_generation) != generation:
        return None
    return user


def _signed_in() -> bool:
    web_user = g.get("_login_user")  # set by Flask-Login once the request asked for it
    return g.get("api_user") is not None or bool(web_user and web_user.is_authenticated)


def _is_static() -> bool:
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static")


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessions()
    login_manager.init_app(app)
    login_manager.login_message = N_("Please sign in to see this page.")
    # Flask-Login flashes it through this: in the language of the page it is shown on.
    login_manager.localize_callback = gettext
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)

    # The client's address the throttle counts by comes from ProxyFix, set once by
    # TWINFLOW_PROXY_HOPS in twinflow/ops (one place decides whom to trust).

    @app.after_request
    def _session_headers(response):
        if _signed_in() and not _is_static():
            # Personal pages and API answers must not stay in a shared or back-button cache.
            response.headers["Cache-Control"] = "no-store"
        seconds = app.config.get("HSTS_SECONDS")
        if seconds:
            response.headers.setdefault("Strict-Transport-Security", f"max-age={int(seconds)}")
        return response
