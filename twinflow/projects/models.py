"""A Twinning project, the object the lifecycle engine moves."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from twinflow.orm import Base, utcnow
from twinflow.partial_dates import format_partial, written

PRECISIONS = ("year", "quarter", "month", "day")


class Project(Base):
    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint(
            "(start_precision IS NULL OR start_precision IN ('year', 'quarter', 'month', 'day'))"
            " AND (end_precision IS NULL OR end_precision IN ('year', 'quarter', 'month', 'day'))",
            "date_precisions",
        ),
        # The audit log's project filter: a substring of the references (migration 0025;
        # PostgreSQL only).
        Index(
            "ix_projects_reference_trgm",
            "reference",
            postgresql_using="gin",
            postgresql_ops={"reference": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        # The lists' default order, newest change first (migration 0026): a page of 50 at
        # any depth read along the index instead of sorting every visible project.
        Index("ix_projects_state_changed_at_id", "state_changed_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept as written when given (historic forms: "AZ/15/ENP/EN/43", "UA/47b"); generated in
    # today's form (CC YY INSTR SS NN ZZ) only when none is given.
    reference: Mapped[str] = mapped_column(String(60), unique=True)
    # The reference in capitals without spacing or punctuation: what search compares.
    reference_key: Mapped[str] = mapped_column(String(60), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    workflow: Mapped[str] = mapped_column(String(60), index=True)
    # Pinned at creation: later edits of the definition never change a running project.
    workflow_version: Mapped[str] = mapped_column(ForeignKey("workflow_versions.version"))
    state: Mapped[str] = mapped_column(String(60), index=True)
    # Optimistic concurrency: bumped by every flush of the row, exposed as the ETag.
    version: Mapped[int] = mapped_column(default=1)

    beneficiary_country: Mapped[str] = mapped_column(String(2), index=True)
    # Required when a project is created live; an imported record keeps what its source
    # leaves empty as None until someone completes it (projects/particulars.py).
    beneficiary_institution: Mapped[str | None] = mapped_column(String(200))
    sector: Mapped[str | None] = mapped_column(String(10), index=True)
    instrument: Mapped[str | None] = mapped_column(String(20))
    programme_year: Mapped[int | None]
    budget_eur: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    implementation_months: Mapped[int | None]
    # The execution period (implementation + reporting): "21/24" is 21 of 24 months.
    total_months: Mapped[int | None]
    # Start and end as the source states them: the first day of the period and its precision
    # (twinflow/partial_dates.py shows "2017", "Q3 2017", "Sep 2017", "4 Sep 2017").
    start_on: Mapped[date | None]
    start_precision: Mapped[str | None] = mapped_column(String(7))
    end_on: Mapped[date | None]
    end_precision: Mapped[str | None] = mapped_column(String(7))
    status_note: Mapped[str | None] = mapped_column(Text)
    # Where the public page files the project, as EU Neighbours East does: a priority area
    # and one of its subsectors (workflows/reference/priority_areas.yaml), and a free topic.
    priority_area: Mapped[str | None] = mapped_column(String(40))
    subsector: Mapped[str | None] = mapped_column(String(60))
    topic: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))

    circulated_at: Mapped[datetime | None]
    proposal_deadline: Mapped[datetime | None]
    recirculation_count: Mapped[int] = mapped_column(default=0)
    # Copied from the selected proposal when it is selected: every permission check and
    # notification needs it, and reading it off the row saves a query per transition. An
    # imported record names its lead here directly (the partner it had).
    lead_member_state: Mapped[str | None] = mapped_column(String(2))
    # The junior partners of an imported record (live projects keep them on the proposal).
    junior_member_states: Mapped[list] = mapped_column(default=list, server_default="[]")
    contract_signed_at: Mapped[datetime | None]
    implementation_start: Mapped[datetime | None]
    implementation_end: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    state_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set on records brought in by an import: their history happened before twinflow.
    imported_at: Mapped[datetime | None]

    # From the fiche: under direct management the EU Delegation contracts (as before); under
    # indirect management the beneficiary country's contracting authority does. "direct" or
    # "indirect" (checked by create_project: a CHECK would need SQLite to rebuild the table).
    management_mode: Mapped[str] = mapped_column(
        String(10), default="direct", server_default="direct"
    )
    contracting_authority_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    contracting_authority = relationship("Organisation")
    # On hold (suspended): the state it left, to which `resume` returns, and since when (its
    # deadlines move by the hold's length on return; deadlines/holds.py).
    held_from: Mapped[str | None] = mapped_column(String(60))
    held_since: Mapped[datetime | None]
    __mapper_args__ = {"version_id_col": version}

    @property
    def call_round(self) -> int:
        return self.recirculation_count + 1

    @property
    def is_imported(self) -> bool:
        return self.imported_at is not None

    # Start and end as written ("2017-Q3") and as shown ("Q3 2017"): for the API and pages.
    @property
    def start(self) -> str | None:
        return written(self.start_on, self.start_precision)

    @property
    def end(self) -> str | None:
        return written(self.end_on, self.end_precision)

    @property
    def start_display(self) -> str | None:
        return format_partial(self.start_on, self.start_precision, empty=None)

    @property
    def end_display(self) -> str | None:
        return format_partial(self.end_on, self.end_precision, empty=None)

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.reference} {self.state}>"
