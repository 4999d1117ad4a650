"""Idempotency-Key: the first successful answer is stored in the same transaction as the action,
so a retry gets that answer back and the action is never applied twice."""

import hashlib
import json
import re

from flask import jsonify, request
from flask_smorest import abort
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from twinflow.api.models import IdempotencyKey
from twinflow.extensions import db
from twinflow.services import get_engine
from twinflow.workflow.errors import WorkflowError

HEADER = "Idempotency-Key"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
HEADER_DOC = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"^[!-~]+$"},
    "description": "Any unique string (e.g. a UUID): a retry with the same key and body "
    "returns the first answer and applies nothing again. The same key with another request "
    "is refused with 422.",
}


def _key() -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not _VALID_KEY.match(key):
        abort(
            422,
            message="The Idempotency-Key header is not valid.",
            errors={"headers": {HEADER: ["must be 1 to 200 printable ASCII characters"]}},
        )
    return key


def _fingerprint() -> str:
    body = request.get_json(silent=True)
    text = json.dumps([request.method, request.path, body], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _stored(user, key: str) -> IdempotencyKey | None:
    return db.session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user.id, IdempotencyKey.key == key)
    )


def _replay(row: IdempotencyKey, fingerprint: str):
    if row.fingerprint != fingerprint:
        abort(
            422,
            message="This Idempotency-Key was already used for a different request; "
            "use a new key for a new request.",
            errors={"headers": {HEADER: ["already used for a different request"]}},
        )
    response = jsonify(row.body)
    response.status_code = row.status_code
    response.headers["Idempotent-Replayed"] = "true"
    return response


def run_once(user, action):
    """action(commit: bool) -> (status, body dict, headers) runs the operation and, when
    commit is False, leaves its transaction open so the answer is stored alongside it."""
    key = _key()
    if key is None:
        status, body, headers = action(True)
        return _respond(status, body, headers)
    fingerprint = _fingerprint()
    row = _stored(user, key)
    if row is not None:
        return _replay(row, fingerprint)
    try:
        status, body, headers = action(False)
    except WorkflowError:
        # A concurrent twin may have applied it while we waited for the project's lock.
        db.session.rollback()
        row = _stored(user, key)
        if row is not None:
            return _replay(row, fingerprint)
        raise
    db.session.add(
        IdempotencyKey(
            user_id=user.id,
            key=key,
            fingerprint=fingerprint,
            status_code=status,
            body=body,
            created_at=get_engine().clock.now(),
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        # The twin committed first: ours is rolled back whole, and we answer as it did.
        db.session.rollback()
        row = _stored(user, key)
        if row is None:
            raise
        return _replay(row, fingerprint)
    except BaseException:
        db.session.rollback()
        raise
    return _respond(status, body, headers)


def _respond(status: int, body: dict, headers: dict):
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers)
    return response
