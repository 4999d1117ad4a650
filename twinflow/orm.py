"""The declarative base shared by every model, free of Flask so the engine can use it alone."""

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.orm.attributes import set_committed_value

# Stable constraint names keep Alembic autogenerate and downgrades predictable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Stores UTC, always returns timezone-aware UTC datetimes (SQLite would drop the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    # A registry rather than class attributes: Flask-SQLAlchemy subclasses this base for
    # db.Model, and SQLAlchemy refuses a per-class type_annotation_map on subclasses.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime, dict: JSON, list: JSON},
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


def one_of(column: str, values: tuple[str, ...]) -> str:
    """The SQL of a check constraint keeping `column` to the listed values."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def held_as_written(session, model, row_id, values: dict):
    """After a Core statement wrote `values` to this row: the session's copy, if it holds one,
    reads them as committed (nothing for a flush to send); returns that copy or None. (The
    ORM's own UPDATE evaluated its criteria against every object the session held instead.)"""
    obj = session.identity_map.get((model, (row_id,), None))
    if obj is not None:
        for key, value in values.items():
            set_committed_value(obj, key, value)
    return obj
