"""POST /auth/token signs in with e-mail and password; DELETE /auth/token revokes the token."""

from flask import current_app
from flask_smorest import abort

from twinflow.api.blueprint import Blueprint
from twinflow.api.schemas import TokenRequestSchema, TokenSchema
from twinflow.api.security import authenticated, current_token, current_user, issue_token
from twinflow.audit.operations import append_event
from twinflow.auth import throttle
from twinflow.auth.operations import authenticate
from twinflow.extensions import db
from twinflow.services import get_engine

blp = Blueprint("auth_tokens", __name__, url_prefix="/api/v1/auth", description="Bearer tokens")


@blp.route("/token", methods=["POST"])
@throttle.sign_in_limits(throttle.json_email)
@blp.arguments(TokenRequestSchema)
@blp.response(200, TokenSchema)
@blp.alt_response(401, response="UNAUTHORIZED", description="Wrong e-mail or password")
@blp.alt_response(
    429,
    response="TOO_MANY_REQUESTS",
    description="Too many failed sign-ins for this account or from this address; "
    "the Retry-After header says in how many seconds to try again",
)
@blp.doc(security=[])
def create_token(credentials):
    """Exchange e-mail and password for a bearer token (shown once)."""
    user = authenticate(
        db.session,
        credentials["email"],
        credentials["password"],
        current_app.config["PASSWORD_HASH_METHOD"],
    )
    if user is None:
        throttle.record_failure(credentials["email"])
        abort(401, message="The e-mail or password is not right, or the account is disabled.")
    try:
        secret, row = issue_token(user)
        append_event(
            db.session,
            action="api_token_issued",
            now=row.created_at,
            actor=user,
            data={"token_id": row.id, "expires_at": row.expires_at.isoformat()},
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    throttle.record_success()  # after the commit: a separate connection writes the counters
    # A secret in the body: no cache may keep it (RFC 6749, section 5.1).
    body = {"token": secret, "token_type": "Bearer", "expires_at": row.expires_at}
    return body, 200, {"Cache-Control": "no-store"}


@blp.route("/token", methods=["DELETE"])
@authenticated
@blp.response(204)
@blp.alt_response(401, response="UNAUTHORIZED")
def revoke_token():
    """Revoke the token this request is sent with; it stops working at once."""
    token, now = current_token(), get_engine().clock.now()
    try:
        token.revoked_at = now
        append_event(
            db.session,
            action="api_token_revoked",
            now=now,
            actor=current_user(),
            data={"token_id": token.id},
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
