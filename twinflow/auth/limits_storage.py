"""A `limits` storage in our own database, for Flask-Limiter where no Redis or Memcached is
configured: the `limits` package has no SQL store, and in-process memory would count per
worker. Every worker and machine sharing the database shares the counters.

Fixed windows only (what the sign-in throttle uses): one row per key, bumped atomically with
INSERT ... ON CONFLICT DO UPDATE (SQLite and PostgreSQL both have it), each in its own short
transaction so a request that rolls back keeps its count.
"""

import time

from limits.storage import Storage
from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from twinflow.auth.models import RateLimitCounter

SCHEME = "twinflow-db"
COUNTERS = RateLimitCounter.__table__


class DatabaseStorage(Storage):
    """`twinflow-db://`: the counters in the app's database (Flask-SQLAlchemy's engine of the
    current app, or the `engine` option)."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        self._engine = options.pop("engine", None)
        # Seconds since the epoch, like the `limits` strategies that read our answers.
        self._now = options.pop("now", time.time)
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    @property
    def engine(self):
        if self._engine is not None:
            return self._engine
        from twinflow.extensions import db

        return db.engine

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = self._now()
        engine = self.engine
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        expired = COUNTERS.c.expires_at <= now
        statement = (
            dialect.insert(COUNTERS)
            .values(key=key, count=amount, expires_at=now + expiry)
            .on_conflict_do_update(
                index_elements=[COUNTERS.c.key],
                set_={
                    "count": case((expired, amount), else_=COUNTERS.c.count + amount),
                    "expires_at": case((expired, now + expiry), else_=COUNTERS.c.expires_at),
                },
            )
            .returning(COUNTERS.c.count)
        )
        with engine.begin() as conn:
            count = conn.execute(statement).scalar_one()
            # Keys of long-past windows (e-mails an attacker made up) are not kept.
            conn.execute(delete(COUNTERS).where(COUNTERS.c.expires_at < now))
        return count

    def _live(self, column, key: str):
        with self.engine.connect() as conn:
            return conn.scalar(
                select(column).where(COUNTERS.c.key == key, COUNTERS.c.expires_at > self._now())
            )

    def get(self, key: str) -> int:
        return self._live(COUNTERS.c.count, key) or 0

    def get_expiry(self, key: str) -> float:
        expires = self._live(COUNTERS.c.expires_at, key)
        return expires if expires is not None else self._now()

    def check(self) -> bool:
        with self.engine.connect() as conn:
            return conn.scalar(select(1)) == 1

    def reset(self) -> int | None:
        with self.engine.begin() as conn:
            return conn.execute(delete(COUNTERS)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(COUNTERS).where(COUNTERS.c.key == key))
