"""A Twinning project, the object the lifecycle engine moves."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from twinflow.orm import Base, utcnow


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    workflow: Mapped[str] = mapped_column(String(60), index=True)
    # Pinned at creation: later edits of the definition never change a running project.
    workflow_version: Mapped[str] = mapped_column(ForeignKey("workflow_versions.version"))
    state: Mapped[str] = mapped_column(String(60), index=True)
    # Optimistic concurrency: bumped by every flush of the row, exposed as the ETag.
    version: Mapped[int] = mapped_column(default=1)

    beneficiary_country: Mapped[str] = mapped_column(String(2), index=True)
    beneficiary_institution: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(2), index=True)
    instrument: Mapped[str] = mapped_column(String(10))
    programme_year: Mapped[int]
    budget_eur: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    implementation_months: Mapped[int]

    circulated_at: Mapped[datetime | None]
    proposal_deadline: Mapped[datetime | None]
    recirculation_count: Mapped[int] = mapped_column(default=0)
    # Copied from the selected proposal when it is selected: every permission check and
    # notification needs it, and reading it off the row saves a query per transition.
    lead_member_state: Mapped[str | None] = mapped_column(String(2))
    contract_signed_at: Mapped[datetime | None]
    implementation_start: Mapped[datetime | None]
    implementation_end: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    state_changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    # From the fiche: under direct management the EU Delegation contracts (as before); under
    # indirect management the beneficiary country's contracting authority does. "direct" or
    # "indirect" (checked by create_project: a CHECK would need SQLite to rebuild the table).
    management_mode: Mapped[str] = mapped_column(
        String(10), default="direct", server_default="direct"
    )
    contracting_authority_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    contracting_authority = relationship("Organisation")
    __mapper_args__ = {"version_id_col": version}

    @property
    def call_round(self) -> int:
        return self.recirculation_count + 1

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.reference} {self.state}>"
