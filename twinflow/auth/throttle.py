"""Sign-in throttling: failed attempts counted per account and per client address, shared by
every worker and machine, answered with 429 and Retry-After while locked.

Flask-Limiter checks the limits before the view runs, so while an account or address is
locked even the right password is refused like a wrong one. Only failures count (the views
call `record_failure`); a successful sign-in clears the account's count, never the address's.
The counters live in RATELIMIT_STORAGE_URI: Redis or Memcached where configured, otherwise
our database (limits_storage.py). Reaching a limit is an audit event; an administrator can
lift a lock (audited too).
"""

import hashlib
import json
import time
from datetime import UTC, datetime

from flask import current_app, request
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import parse
from sqlalchemy import select

from twinflow.audit.models import AuditEvent
from twinflow.audit.operations import append_event
from twinflow.auth import limits_storage  # noqa: F401 - registers the twinflow-db:// scheme
from twinflow.error_handling import render
from twinflow.extensions import db, limiter
from twinflow.i18n import ngettext
from twinflow.services import get_engine

ACCOUNT, ADDRESS = "sign_in_account", "sign_in_address"
LOCKED, UNLOCKED = "sign_in_locked", "sign_in_unlocked"


def account_key(email: str | None) -> str:
    """E-mails are hashed: keys stay short and the shared store holds no addresses."""
    normalized = (email or "").strip().lower()
    return "account-" + hashlib.sha256(normalized.encode("utf-8", "surrogatepass")).hexdigest()


def form_email() -> str:
    """The e-mail typed in the web sign-in form."""
    return request.form.get("email") or ""


def json_email() -> str:
    """The e-mail of a JSON sign-in body; other bodies are left unread for the API to refuse
    (reading a form here would consume the body the API's 415 answer is based on)."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return email if isinstance(email, str) else ""


def _limit(setting: str):
    def value() -> str:
        config = current_app.config
        return f"{config[setting]} per {config['SIGN_IN_WINDOW_MINUTES']} minutes"

    return value


def sign_in_limits(account_email):
    """Decorator for a view that checks a password: POST is refused with 429 while the
    account `account_email()` names or the client's address is locked."""
    by_account = limiter.shared_limit(
        _limit("SIGN_IN_ACCOUNT_FAILURES"),
        scope=ACCOUNT,
        key_func=lambda: account_key(account_email()),
        methods=["POST"],
        # Counted by record_failure, never by Flask-Limiter itself: successes are free.
        deduct_when=lambda response: False,
    )
    by_address = limiter.shared_limit(
        _limit("SIGN_IN_ADDRESS_FAILURES"),
        scope=ADDRESS,
        key_func=get_remote_address,
        methods=["POST"],
        deduct_when=lambda response: False,
    )
    return lambda view: by_account(by_address(view))


def _request_limits():
    return [lim for lim in limiter.current_limits if lim.request_args[-1] in (ACCOUNT, ADDRESS)]


def record_failure(email: str | None) -> None:
    """Count one failed attempt against the account and the address; the attempt that
    reaches a limit writes the lockout to the audit trail (exactly once per lock: the
    store's increment is atomic)."""
    locked = []
    for lim in _request_limits():
        count = limiter.storage.incr(lim.key, lim.limit.get_expiry(), 1)
        if count == lim.limit.amount:
            locked.append(lim)
    if not locked:
        return
    now = get_engine().clock.now()
    try:
        for lim in locked:
            append_event(
                db.session, action=LOCKED, now=now, data=_lock_data(lim, email) | _until(lim)
            )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def _lock_data(lim, email) -> dict:
    if lim.request_args[-1] == ACCOUNT:
        return {"kind": "account", "email": (email or "").strip().lower()}
    return {"kind": "address", "address": get_remote_address()}


def _until(lim) -> dict:
    reset_at = lim.limiter.get_window_stats(lim.limit, *lim.request_args).reset_time
    return {"until": datetime.fromtimestamp(reset_at, UTC).isoformat(timespec="seconds")}


def record_success() -> None:
    """A successful sign-in clears its account's failures (the address's stay)."""
    for lim in _request_limits():
        if lim.request_args[-1] == ACCOUNT:
            lim.limiter.clear(lim.limit, *lim.request_args)


# -- administration -----------------------------------------------------------------------


def _item_and_args(kind: str, value: str):
    """The limit and key Flask-Limiter uses for this account or address (sign_in_limits)."""
    setting, scope, key = (
        ("SIGN_IN_ACCOUNT_FAILURES", ACCOUNT, account_key(value))
        if kind == "account"
        else ("SIGN_IN_ADDRESS_FAILURES", ADDRESS, value)
    )
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    args = [prefix, key, scope] if prefix else [key, scope]
    return parse(_limit(setting)()), args


def current_locks(recent: int = 200) -> list[dict]:
    """The accounts and addresses locked now, from the latest lockout events, each with the
    time its lock ends (read live from the store)."""
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == LOCKED).order_by(AuditEvent.seq.desc())
    ).fetchmany(recent)
    locks, seen = [], set()
    for event in events:
        data = _event_data(event)
        kind = data.get("kind")
        value = data.get("email") if kind == "account" else data.get("address")
        if not value or (kind, value) in seen:
            continue
        seen.add((kind, value))
        item, args = _item_and_args(kind, value)
        stats = limiter.limiter.get_window_stats(item, *args)
        if stats.remaining == 0:
            until = datetime.fromtimestamp(stats.reset_time, UTC)
            locks.append({"kind": kind, "value": value, "until": until, "since": event.occurred_at})
    return locks


def _event_data(event) -> dict:
    data = event.data
    return json.loads(data) if isinstance(data, str) else dict(data or {})


def lift(actor, kind: str, value: str) -> None:
    """An administrator ends a lock at once; audited."""
    item, args = _item_and_args(kind, value)
    limiter.limiter.clear(item, *args)
    subject = {"email": value} if kind == "account" else {"address": value}
    try:
        append_event(
            db.session,
            action=UNLOCKED,
            now=get_engine().clock.now(),
            actor=actor,
            data={"kind": kind} | subject,
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


# -- the refusal ---------------------------------------------------------------------------


def _refused(exc: RateLimitExceeded):
    breached = [lim for lim in limiter.current_limits if lim.breached]
    reset_at = max((lim.reset_at for lim in breached), default=time.time() + 60)
    wait = max(1, int(reset_at - time.time()))
    minutes = -(-wait // 60)
    until = datetime.fromtimestamp(time.time() + wait, UTC).strftime("%H:%M UTC")
    message = ngettext(
        "Too many failed sign-in attempts for this account or from this address. "
        "Try again in %(num)d minute (after %(until)s).",
        "Too many failed sign-in attempts for this account or from this address. "
        "Try again in %(num)d minutes (after %(until)s).",
        minutes,
        until=until,
    )
    response = current_app.make_response(render(429, "too_many_attempts", message, {}, exc))
    response.headers["Retry-After"] = str(wait)
    return response


# Limits Flask-Limiter would apply to every request, were they configured; twinflow sets none.
_WIDER_LIMITS = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")


@limiter.request_filter
def _not_a_sign_in() -> bool:
    """Only sign-ins are limited, and only their POSTs: any other request is exempt before
    Flask-Limiter resolves the view's limits (a twentieth of an API read's time)."""
    if request.method == "POST":
        return False
    config = current_app.config
    return not any(config.get(name) for name in _WIDER_LIMITS)


def init_app(app) -> None:
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, _refused)
