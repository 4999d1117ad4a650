"""Small helpers the web views share: role checks, safe redirects, paging, form errors."""

from dataclasses import dataclass
from functools import wraps
from math import ceil
from urllib.parse import urlsplit

from flask import abort, request
from flask_login import current_user

from twinflow.extensions import login_manager
from twinflow.i18n import gettext


def roles_required(*roles: str):
    """Signed out: to sign-in. Signed in with another role: 403."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403, gettext("Your role does not give access to this page."))
            return view(*args, **kwargs)

        return wrapped

    return decorate


def permission_required(rule):
    """Like roles_required, with a permission predicate `rule(user)` (e.g. who may read the
    whole audit trail) instead of a list of roles."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not rule(current_user):
                abort(403, gettext("Your role does not give access to this page."))
            return view(*args, **kwargs)

        return wrapped

    return decorate


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site: never a scheme, a host, or a protocol-relative '//' URL."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return fallback
    return target


def int_arg(name: str, default: int, low: int = 1, high: int = 10**9) -> int:
    """A query-string integer; anything malformed falls back instead of causing an error."""
    try:
        value = int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default
    return min(max(value, low), high)


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * self.per_page, self.total)


def apply_engine_errors(form, errors: dict, prefix_map: dict | None = None) -> list[str]:
    """Put the engine's field errors on the matching form fields; return those left over."""
    prefix_map = prefix_map or {}
    leftover = []
    for key, reasons in errors.items():
        name = prefix_map.get(key, key)
        field = getattr(form, name, None) if name else None
        reasons = reasons if isinstance(reasons, list) else [str(reasons)]
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + reasons
        else:
            leftover += [f"{key}: {r}" for r in reasons]
    return leftover


def choices(pairs) -> list:
    """(value, label) pairs as WTForms 3.3 wants select options (tuples are deprecated)."""
    from wtforms import SelectChoice

    return [SelectChoice(value, label) for value, label in pairs]
