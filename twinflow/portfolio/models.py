"""The portfolio's kept figures (migration 0024): the stays read from the audit trail, folded in
once (the events after the watermark) instead of re-read from the whole trail on every view,
and the time-in-stage figures last computed for each reader's scope (kept.py)."""

from datetime import datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, Text, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.functions import FunctionElement

from twinflow.orm import Base
from twinflow.projects.models import Project


class PortfolioStay(Base):
    """One ended stay of a project in a state (a stay begun by an import is never kept)."""

    __tablename__ = "portfolio_stays"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    state: Mapped[str] = mapped_column(String(60))
    entered_at: Mapped[datetime]
    # The year the stay began (a figure's group) and its length in whole microseconds: the
    # exact difference of the two events' times, so the days equal the trail's to the bit.
    year: Mapped[int]
    micros: Mapped[int] = mapped_column(BigInteger)


class PortfolioOpenStay(Base):
    """The stay a project is in now (the last entry folded in): where the next entry ends it."""

    __tablename__ = "portfolio_open_stays"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(60))
    entered_at: Mapped[datetime]
    imported: Mapped[bool]  # begun by an import: its start is unknown, it is never counted


class PortfolioWatermark(Base):
    """One row (id 1): the last audit event folded in, and the last one that ended a stay (the
    kept figures' version). Locked while folding so two workers never fold an event twice."""

    __tablename__ = "portfolio_watermark"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    stays_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class PortfolioKeptFigures(Base):
    """The time-in-stage figures last computed for one scope (the projects a reader sees),
    with the digest of everything they were computed from: used only while it still matches."""

    __tablename__ = "portfolio_kept_figures"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    inputs: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    # The scope as text (permissions.portfolio_scope_key), so the scheduler pass can compute
    # the figures again for the scopes in use (kept.refresh, 0028); none on rows kept before.
    scope_key: Mapped[str | None] = mapped_column(Text)


class PortfolioProjectsMark(Base):
    """One row (id 1): a counter that triggers on projects move on whenever a project is added
    or removed or its id, country or sector changes (migration 0028). The kept figures of a
    scope drawn by country depend on nothing else about the projects, so this number tells
    whether they still hold without reading the projects."""

    __tablename__ = "portfolio_projects_mark"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class utc_day(FunctionElement):
    """The UTC calendar day of a stored moment, in SQL (Python's `moment.date()`)."""

    type = Date()
    name = "utc_day"
    inherit_cache = True


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element, compiler, **kw):
    return f"CAST(({compiler.process(element.clauses, **kw)} AT TIME ZONE 'UTC') AS DATE)"


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)})"  # stored as UTC text


# A project's first day on the portfolio's timeline, as figures._span reads it.
TIMELINE_START = func.coalesce(Project.start_on, utc_day(Project.implementation_start))

# The portfolio's reads over the projects (migration 0028): the stage counts of a scope drawn by
# country as an index-only scan, and the timeline's page along its order, only the projects
# with a start (PostgreSQL; SQLite reads its few projects as before).
Index(
    "ix_projects_country_state",
    Project.beneficiary_country,
    Project.state,
    # Index-only too: the overdue count's join to the projects (id), and the project lists'
    # filter choices and counts (projects.listing.choices_statement groups every visible
    # project by state, country and Member States on each list view).
    postgresql_include=["id", "lead_member_state", "junior_member_states"],
)
Index(
    "ix_projects_timeline_start",
    TIMELINE_START,
    Project.id,
    postgresql_include=["beneficiary_country"],
    postgresql_where=TIMELINE_START.is_not(None),
).ddl_if(dialect="postgresql")
