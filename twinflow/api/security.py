"""Bearer tokens: a random secret shown once, stored only as its SHA-256, expiring, revocable.

The API never reads the cookie session: a request is authenticated by its Authorization
header alone, so cross-site requests carry no credentials and need no CSRF token.
"""

import hashlib
import secrets
from datetime import timedelta
from functools import wraps

from flask import current_app, g, request
from flask_smorest import abort
from sqlalchemy import bindparam, select

from twinflow.auth.models import ApiToken, User
from twinflow.auth.sessions import WITH_ORGANISATION
from twinflow.extensions import db
from twinflow.services import get_engine

TOKEN_PREFIX = "tf_"
BEARER_SCHEME = {"type": "http", "scheme": "bearer", "description": "A token from POST /auth/token"}
# The OpenAPI security requirement of every endpoint but the token request itself.
BEARER = [{"bearerAuth": []}]


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(user: User) -> tuple[str, ApiToken]:
    """Returns the secret (never stored) and the stored row; the caller commits."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = get_engine().clock.now()
    row = ApiToken(
        user_id=user.id,
        token_hash=hash_token(secret),
        created_at=now,
        expires_at=now + timedelta(hours=current_app.config["API_TOKEN_HOURS"]),
        session_generation=user.session_generation,
    )
    db.session.add(row)
    db.session.flush()
    return secret, row


# The token, its user and the user's organisation (with its countries) in one statement, built
# once: building it and its cache key on every request cost a third of the lookup.
_TOKEN_LOOKUP = (
    select(ApiToken, User)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
    .options(*WITH_ORGANISATION)
)


def _presented_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def _resolve() -> tuple[User, ApiToken] | None:
    secret = _presented_secret()
    if secret is None:
        return None
    found = db.session.execute(_TOKEN_LOOKUP, {"token_hash": hash_token(secret)}).unique().first()
    row, user = found if found is not None else (None, None)
    if row is None or row.revoked_at is not None or row.expires_at <= get_engine().clock.now():
        return None
    # A sign-out, password change or reset, or deactivation since the token was issued
    # moved the user's session generation on: the token ended with the other sessions.
    if user is None or not user.is_active or row.session_generation != user.session_generation:
        return None
    return user, row


def authenticated(view):
    """Refuses with 401 unless a valid, unexpired, unrevoked token of an active user is sent."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        found = _resolve()
        if found is None:
            abort(
                401,
                message="Send a valid token: Authorization: Bearer <token> "
                "(POST /api/v1/auth/token gives one).",
            )
        g.api_user, g.api_token = found
        return view(*args, **kwargs)

    return wrapper


def current_user() -> User:
    return g.api_user


def current_token() -> ApiToken:
    return g.api_token
