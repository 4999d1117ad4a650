"""POST /auth/token signs in with e-mail and password; DELETE /auth/token revokes the token."""

from flask_smorest import abort

from twinflow.api.blueprint import Blueprint
from twinflow.api.schemas import TokenRequestSchema, TokenSchema
from twinflow.api.security import authenticated, current_token, current_user, issue_token
from twinflow.audit.operations import append_event
from twinflow.auth.operations import authenticate
from twinflow.extensions import db
from twinflow.services import get_engine

blp = Blueprint("auth_tokens", __name__, url_prefix="/api/v1/auth", description="Bearer tokens")


@blp.route("/token", methods=["POST"])
@blp.arguments(TokenRequestSchema)
@blp.response(200, TokenSchema)
@blp.alt_response(401, response="UNAUTHORIZED", description="Wrong e-mail or password")
@blp.doc(security=[])
def create_token(credentials):
    """Exchange e-mail and password for a bearer token (shown once)."""
    user = authenticate(db.session, credentials["email"], credentials["password"])
    if user is None:
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
    return {"token": secret, "token_type": "Bearer", "expires_at": row.expires_at}


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
