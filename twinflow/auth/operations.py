"""Creating users and checking passwords; werkzeug's hashing (scrypt by default)."""

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from twinflow.audit.operations import append_event
from twinflow.auth.models import ROLES, User
from twinflow.reference_data import MEMBER_STATES
from twinflow.workflow.errors import Conflict, InvalidData, NotFound, NotPermitted

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10


def validate_user(email, password, role, organisation, country, password_required=True) -> dict:
    errors: dict[str, list[str]] = {}
    if not email or not EMAIL.match(email):
        errors["email"] = ["must be an e-mail address"]
    if password_required and (not password or len(password) < MIN_PASSWORD):
        errors["password"] = [f"must be at least {MIN_PASSWORD} characters"]
    if role not in ROLES:
        errors["role"] = [f"must be one of: {', '.join(ROLES)}"]
    if role in ("beneficiary", "member_state"):
        if not country or not re.fullmatch(r"[A-Z]{2}", country):
            errors["country"] = ["a two-letter country code is required for this role"]
        elif role == "member_state" and country not in MEMBER_STATES:
            errors["country"] = [f"{country} is not an EU Member State"]
        if not organisation:
            errors["organisation"] = ["is required for this role"]
    return errors


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    role: str,
    now,
    organisation: str | None = None,
    country: str | None = None,
    name: str = "",
    actor=None,
    hash_method: str = "scrypt",
    commit: bool = True,
) -> User:
    email = (email or "").strip().lower()
    country = (country or "").strip().upper() or None
    organisation = (organisation or "").strip() or None
    errors = validate_user(email, password, role, organisation, country)
    if errors:
        raise InvalidData(errors)
    if session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise Conflict(f"A user with e-mail {email} already exists.", {"email": ["already used"]})
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        organisation=organisation,
        country=country,
        password_hash=generate_password_hash(password, hash_method),
        created_at=now,
    )
    session.add(user)
    session.flush()
    append_event(
        session,
        action="user_created",
        now=now,
        actor=actor,
        data={
            "user_id": user.id,
            "email": email,
            "role": role,
            "organisation": organisation,
            "country": country,
        },
    )
    if commit:
        session.commit()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user, or None; the same answer for an unknown e-mail and a wrong password."""
    user = session.scalar(
        select(User).where(func.lower(User.email) == (email or "").strip().lower())
    )
    if user is None or not user.is_active:
        # Hash anyway so response time does not reveal which e-mails exist.
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    return user if check_password_hash(user.password_hash, password or "") else None


_DUMMY_HASH = generate_password_hash("not-a-real-password", "pbkdf2:sha256:1000")


# -- administration: each change is one transaction with its audit event ---------------------


def _admin_target(session: Session, actor, user_id: int) -> User:
    if actor is None or not actor.is_active or actor.role != "admin":
        raise NotPermitted("Only administrators manage users.")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user {user_id}.")
    return user


def _finish(session: Session, actor, user: User, action: str, now, data: dict) -> User:
    append_event(session, action=action, now=now, actor=actor, data={"user_id": user.id, **data})
    session.commit()
    return user


def set_active(session: Session, actor, user_id: int, active: bool, now) -> User:
    """Deactivating ends the user's sessions and tokens at their next request (the loader and
    the token check both refuse inactive users); the account and its history stay."""
    try:
        user = _admin_target(session, actor, user_id)
        if user.id == actor.id and not active:
            raise Conflict("You cannot deactivate your own account.")
        if user.is_active == active:
            state = "active" if active else "inactive"
            raise Conflict(f"{user.email} is already {state}.")
        user.is_active = active
        action = "user_reactivated" if active else "user_deactivated"
        return _finish(session, actor, user, action, now, {"email": user.email})
    except BaseException:
        session.rollback()
        raise


def change_role(
    session: Session, actor, user_id: int, *, role: str, now, organisation=None, country=None
) -> User:
    try:
        user = _admin_target(session, actor, user_id)
        country = (country or "").strip().upper() or None
        organisation = (organisation or "").strip() or None
        errors = validate_user(user.email, None, role, organisation, country, False)
        if errors:
            raise InvalidData(errors)
        if user.id == actor.id and role != "admin":
            raise Conflict("You cannot remove your own administrator role.")
        before = {"role": user.role, "organisation": user.organisation, "country": user.country}
        user.role, user.organisation, user.country = role, organisation, country
        after = {"role": role, "organisation": organisation, "country": country}
        return _finish(
            session, actor, user, "user_role_changed", now, {"before": before, "after": after}
        )
    except BaseException:
        session.rollback()
        raise


def reset_password(
    session: Session, actor, user_id: int, password: str, now, hash_method: str = "scrypt"
) -> User:
    try:
        user = _admin_target(session, actor, user_id)
        if not password or len(password) < MIN_PASSWORD:
            raise InvalidData({"password": [f"must be at least {MIN_PASSWORD} characters"]})
        user.password_hash = generate_password_hash(password, hash_method)
        # The audit trail records that it happened, never the password or its hash.
        return _finish(session, actor, user, "user_password_reset", now, {"email": user.email})
    except BaseException:
        session.rollback()
        raise
