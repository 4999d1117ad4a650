"""Creating users and checking passwords; werkzeug's hashing (scrypt by default)."""

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from twinflow.audit.operations import append_event
from twinflow.auth.models import ROLES, User
from twinflow.reference_data import MEMBER_STATES
from twinflow.workflow.errors import Conflict, InvalidData

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
