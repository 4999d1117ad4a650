"""The people who use twinflow and the roles they hold."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from twinflow.orm import Base, utcnow

ROLES = ("admin", "coordinator", "beneficiary", "member_state")
# Most users of the programme work on Brussels time; each may choose another.
DEFAULT_TIME_ZONE = "Europe/Brussels"


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'coordinator', 'beneficiary', 'member_state')", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20))
    # The administration (beneficiary) or institution (Member State) the user works for.
    organisation: Mapped[str | None] = mapped_column(String(200))
    # ISO 3166 alpha-2; for a Member State user this identifies the Member State.
    country: Mapped[str | None] = mapped_column(String(2))
    # The organisation (twinflow/organisations) the user works for; a coordinator sees the
    # projects of the countries it covers, and none without one.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    affiliation = relationship("Organisation")
    is_active: Mapped[bool] = mapped_column(default=True)
    digest_enabled: Mapped[bool] = mapped_column(default=False)
    # IANA zone name: reminders count "tomorrow" and "in 3 days" by this user's calendar days.
    time_zone: Mapped[str] = mapped_column(
        String(64), default=DEFAULT_TIME_ZONE, server_default=DEFAULT_TIME_ZONE
    )
    # The language the pages speak to this user ("en", "fr"); none = the browser's preference.
    language: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Raised by sign-out, a password change or reset and deactivation: every session cookie,
    # remember-me cookie and API token carries the generation it was made in and stops
    # working once it is no longer the current one.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    # Flask-Login protocol, kept here so the model stays free of Flask imports.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # What Flask-Login signs into the session and the remember-me cookie.
        return f"{self.id}:{self.session_generation}"

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored, so a database leak reveals no usable token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    # The user's session generation when the token was issued (see User.session_generation).
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} user={self.user_id}>"


class RateLimitCounter(Base):
    """One fixed-window counter of the sign-in throttle (auth/limits_storage.py), shared by
    every worker and machine that uses this database."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int]
    # Seconds since the epoch, the `limits` package's own unit (its strategies read it back).
    expires_at: Mapped[float] = mapped_column(Float, index=True)

    def __repr__(self) -> str:
        return f"<RateLimitCounter {self.key} {self.count}>"
