"""Creating users, checking passwords and ending sessions; werkzeug's hashing (scrypt by
default), zxcvbn for strength."""

import re
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.auth.models import ROLES, User
from twinflow.auth.passwords import (
    MIN_LENGTH,
    check_password,
    dummy_hash,
    hash_password,
    strength_problems,
)
from twinflow.i18n import gettext as _
from twinflow.reference import default_reference
from twinflow.workflow.errors import Conflict, InvalidData, NotFound, NotPermitted

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = MIN_LENGTH


def _password_errors(password, *user_inputs, check_strength: bool = True) -> list[str]:
    if not check_strength:
        return [] if password and len(password) >= MIN_PASSWORD else strength_problems("")
    return strength_problems(password, user_inputs)


def validate_user(
    email,
    password,
    role,
    organisation,
    country,
    password_required=True,
    *,
    name: str = "",
    check_strength: bool = True,
) -> dict:
    errors: dict[str, list[str]] = {}
    if not email or not EMAIL.match(email):
        errors["email"] = [_("must be an e-mail address")]
    if password_required:
        problems = _password_errors(
            password, email, name, organisation, check_strength=check_strength
        )
        if problems:
            errors["password"] = problems
    if role not in ROLES:
        errors["role"] = [_("must be one of: %(roles)s", roles=", ".join(ROLES))]
    if role in ("beneficiary", "member_state"):
        if not country or not re.fullmatch(r"[A-Z]{2}", country):
            errors["country"] = [_("a two-letter country code is required for this role")]
        elif role == "member_state" and not default_reference().is_member_state(
            country, datetime.now(UTC).date()
        ):
            errors["country"] = [_("%(country)s is not an EU Member State", country=country)]
        if not organisation:
            errors["organisation"] = [_("is required for this role")]
    return errors


def _country_code(role: str, country: str | None) -> str | None:
    """Upper case; a Member State as the EU writes it (GR is kept as EL, GB as UK), so that
    its users and the projects it leads name it alike."""
    country = (country or "").strip().upper() or None
    if role == "member_state" and country:
        return default_reference().country_code(country) or country
    return country


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
    check_strength: bool = True,
) -> User:
    """`check_strength=False` only for the demo's published password (demo_data.py)."""
    email = (email or "").strip().lower()
    country = _country_code(role, country)
    organisation = (organisation or "").strip() or None
    errors = validate_user(
        email, password, role, organisation, country, name=name, check_strength=check_strength
    )
    if errors:
        raise InvalidData(errors)
    if session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise Conflict(
            _("A user with e-mail %(email)s already exists.", email=email),
            {"email": [_("already used")]},
        )
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        organisation=organisation,
        country=country,
        password_hash=hash_password(password, hash_method),
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


def authenticate(
    session: Session, email: str, password: str, hash_method: str = "scrypt"
) -> User | None:
    """The user, or None; the same answer for an unknown e-mail and a wrong password.

    `hash_method`: the configured one (PASSWORD_HASH_METHOD), which real hashes are made with."""
    user = session.scalar(
        select(User).where(func.lower(User.email) == (email or "").strip().lower())
    )
    if user is None or not user.is_active:
        # Hash anyway, at the same cost, so response time does not reveal which e-mails exist.
        check_password(dummy_hash(hash_method), password or "")
        return None
    return user if check_password(user.password_hash, password or "") else None


def end_sessions(session: Session, user: User) -> None:
    """Every session cookie, remember-me cookie and API token of the user stops working.

    Raised in SQL (generation + 1), so two concurrent endings cannot undo each other."""
    user.session_generation = User.session_generation + 1
    session.flush()
    session.refresh(user, ["session_generation"])


def sign_out(session: Session, user: User) -> None:
    """Signing out ends the user's sessions everywhere, and their API tokens: a copied cookie
    or token must not outlive the sign-out."""
    try:
        end_sessions(session, user)
        session.commit()
    except BaseException:
        session.rollback()
        raise


def change_password(
    session: Session, user: User, current: str, new: str, now, hash_method: str = "scrypt"
) -> User:
    """The user's own change: the current password is required; every session and token
    made before ends (the caller renews the one the change was made in)."""
    try:
        errors = {}
        if not check_password(user.password_hash, current or ""):
            errors["current_password"] = [_("is not your current password")]
        problems = _password_errors(new, user.email, user.name, user.organisation)
        if problems:
            errors["new_password"] = problems
        elif current and new == current:
            errors["new_password"] = [_("must differ from the current password")]
        if errors:
            raise InvalidData(errors)
        user.password_hash = hash_password(new, hash_method)
        end_sessions(session, user)
        append_event(
            session,
            action="user_password_changed",
            now=now,
            actor=user,
            data={"user_id": user.id, "email": user.email},
        )
        session.commit()
        return user
    except BaseException:
        session.rollback()
        raise


def identity_problems(session: Session, user: User, name, email) -> dict[str, list[str]]:
    """What is wrong with a new name or e-mail for this user (None: unchanged); the e-mail,
    compared without case, must be no other user's."""
    errors: dict[str, list[str]] = {}
    if name is not None and not name.strip():
        errors["name"] = [_("must not be empty")]
    elif name is not None and len(name.strip()) > 200:
        errors["name"] = [_("must be at most 200 characters")]
    if email is not None:
        email = email.strip().lower()
        if len(email) > 254 or not EMAIL.match(email):
            errors["email"] = [_("must be an e-mail address")]
        elif session.scalar(
            select(User.id).where(func.lower(User.email) == email, User.id != user.id)
        ):
            errors["email"] = [_("%(email)s is already the e-mail of another user", email=email)]
    return errors


# -- administration: each change is one transaction with its audit event ---------------------


def _admin_target(session: Session, actor, user_id: int) -> User:
    if actor is None or not actor.is_active or actor.role != "admin":
        raise NotPermitted(_("Only administrators manage users."))
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("No user %(id)s.", id=user_id))
    return user


def _finish(session: Session, actor, user: User, action: str, now, data: dict) -> User:
    append_event(session, action=action, now=now, actor=actor, data={"user_id": user.id, **data})
    session.commit()
    return user


def set_active(session: Session, actor, user_id: int, active: bool, now) -> User:
    """Deactivating ends the user's sessions and tokens (the loader and the token check
    refuse inactive users, and the session generation moves on); the account and its history
    stay."""
    try:
        user = _admin_target(session, actor, user_id)
        if user.id == actor.id and not active:
            raise Conflict(_("You cannot deactivate your own account."))
        if user.is_active == active:
            if active:
                raise Conflict(_("%(email)s is already active.", email=user.email))
            raise Conflict(_("%(email)s is already inactive.", email=user.email))
        user.is_active = active
        if not active:
            end_sessions(session, user)  # reactivating later must not revive them
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
        country = _country_code(role, country)
        organisation = (organisation or "").strip() or None
        errors = validate_user(user.email, None, role, organisation, country, False)
        if errors:
            raise InvalidData(errors)
        if user.id == actor.id and role != "admin":
            raise Conflict(_("You cannot remove your own administrator role."))
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
        problems = _password_errors(password, user.email, user.name, user.organisation)
        if problems:
            raise InvalidData({"password": problems})
        user.password_hash = hash_password(password, hash_method)
        end_sessions(session, user)
        # The audit trail records that it happened, never the password or its hash.
        return _finish(session, actor, user, "user_password_reset", now, {"email": user.email})
    except BaseException:
        session.rollback()
        raise
