"""The records of implementation and closure: results, activities, team, reports, changes,
steering committee meetings and documents."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from twinflow.orm import Base, utcnow

ACTIVITY_KINDS = (
    "expert_mission",
    "training",
    "workshop",
    "study_visit",
    "internship",
    "counselling",
)
ACTIVITY_STATUSES = ("planned", "ongoing", "done", "cancelled")
TEAM_ROLES = (
    "ms_project_leader",
    "bc_project_leader",
    "rta",
    "rta_counterpart",
    "junior_ms_partner",
)
REPORT_KINDS = ("interim", "final")
CHANGE_KINDS = ("side_letter", "addendum")
RECORD_TYPES = ("report", "side_letter", "addendum")
DOCUMENT_CATEGORIES = (
    "fiche",
    "proposal",
    "selection_minutes",
    "work_plan",
    "contract",
    "interim_report",
    "final_report",
    "audit_certificate",
    "steering_minutes",
    "side_letter",
    "addendum",
    "other",
)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Component(Base):
    """One component of the fiche, grouping the mandatory results it must reach."""

    __tablename__ = "components"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    results: Mapped[list["MandatoryResult"]] = relationship(
        back_populates="component", order_by="MandatoryResult.number", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<Component {self.id} project={self.project_id} #{self.number}>"


class MandatoryResult(Base):
    __tablename__ = "mandatory_results"
    __table_args__ = (UniqueConstraint("component_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    component_id: Mapped[int] = mapped_column(ForeignKey("components.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")

    component: Mapped[Component] = relationship(back_populates="results")
    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="result", order_by="Indicator.id", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<MandatoryResult {self.id} component={self.component_id} #{self.number}>"


class Indicator(Base):
    """How a result is measured: from a baseline towards a target; `reached` is updated as
    implementation goes on."""

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("mandatory_results.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(60), default="")
    baseline: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    target: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    reached: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    reached_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    result: Mapped[MandatoryResult] = relationship(back_populates="indicators")

    @property
    def percent(self) -> int | None:
        """Share of the way from baseline to target, 0-100; None before any value is reported."""
        if self.reached is None or self.target == self.baseline:
            return None
        share = (self.reached - self.baseline) / (self.target - self.baseline)
        return max(0, min(100, round(share * 100)))

    def __repr__(self) -> str:
        return f"<Indicator {self.id} {self.name!r} {self.reached}/{self.target}>"


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint(_one_of("kind", ACTIVITY_KINDS), "activity_kind"),
        CheckConstraint(_one_of("status", ACTIVITY_STATUSES), "activity_status"),
        CheckConstraint("planned_end >= planned_start", "activity_planned_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    component_id: Mapped[int | None] = mapped_column(ForeignKey("components.id"))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    planned_start: Mapped[date]
    planned_end: Mapped[date]
    actual_start: Mapped[date | None]
    actual_end: Mapped[date | None]
    experts: Mapped[list] = mapped_column(default=list)
    participants: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(12), default="planned")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.kind} {self.status}>"


class TeamMember(Base):
    __tablename__ = "team_members"
    __table_args__ = (CheckConstraint(_one_of("role", TEAM_ROLES), "team_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str | None] = mapped_column(String(2))
    email: Mapped[str | None] = mapped_column(String(254))
    # The RTA's secondment; both dates inclusive.
    secondment_start: Mapped[date | None]
    secondment_end: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<TeamMember {self.id} {self.role} {self.name!r}>"


class RecordMixin:
    """What every record with its own small workflow carries."""

    state: Mapped[str] = mapped_column(String(30))
    workflow_version: Mapped[str] = mapped_column(String(16))
    # Bumped whenever signatures must be collected afresh (returned, or edited after signing).
    signing_round: Mapped[int] = mapped_column(default=1)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_comment: Mapped[str | None] = mapped_column(Text)


class Report(RecordMixin, Base):
    """An interim (quarterly) report or the final report."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("project_id", "kind", "number"),
        CheckConstraint(_one_of("kind", REPORT_KINDS), "report_kind"),
    )
    record_type = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    # The quarter for an interim report; 1 for the (single) final report.
    number: Mapped[int]
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")

    @property
    def workflow_name(self) -> str:
        return "report"

    @property
    def deadline_key(self) -> str:
        return f"interim_report#{self.number}" if self.kind == "interim" else "final_report"

    @property
    def label(self) -> str:
        return f"Interim report {self.number}" if self.kind == "interim" else "Final report"

    def __repr__(self) -> str:
        return f"<Report {self.id} {self.kind} #{self.number} {self.state}>"


class ChangeRequest(RecordMixin, Base):
    """A side letter (minor change) or an addendum (major change) to the contract."""

    __tablename__ = "change_requests"
    __table_args__ = (
        UniqueConstraint("project_id", "kind", "number"),
        CheckConstraint(_one_of("kind", CHANGE_KINDS), "change_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    justification: Mapped[str] = mapped_column(Text, default="")
    # The figures to change, validated against the kind's declared changes.
    changes: Mapped[dict] = mapped_column(default=dict)
    # What the approval actually changed: {"field": {"from": ..., "to": ...}}.
    applied: Mapped[dict | None] = mapped_column()

    @property
    def record_type(self) -> str:
        return self.kind

    @property
    def workflow_name(self) -> str:
        return self.kind

    @property
    def label(self) -> str:
        return f"{'Side letter' if self.kind == 'side_letter' else 'Addendum'} {self.number}"

    def __repr__(self) -> str:
        return f"<ChangeRequest {self.id} {self.kind} #{self.number} {self.state}>"


class RecordSignature(Base):
    """One party's signature on a record's transition (co-signing), per signing round."""

    __tablename__ = "record_signatures"
    __table_args__ = (
        # One signature per party, and one user never signs for two parties, in a round.
        # Named explicitly: the generated names pass PostgreSQL's 63-character limit.
        UniqueConstraint(
            "record_type",
            "record_id",
            "signing_round",
            "trigger",
            "party",
            name="uq_record_signatures_party",
        ),
        UniqueConstraint(
            "record_type",
            "record_id",
            "signing_round",
            "trigger",
            "user_id",
            name="uq_record_signatures_user",
        ),
        CheckConstraint(_one_of("record_type", RECORD_TYPES), "signature_record_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Reports and change requests live in two tables, hence a typed reference, not a FK.
    record_type: Mapped[str] = mapped_column(String(12))
    record_id: Mapped[int]
    signing_round: Mapped[int]
    trigger: Mapped[str] = mapped_column(String(60))
    party: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<RecordSignature {self.record_type}:{self.record_id} {self.party}>"


class SteeringMeeting(Base):
    __tablename__ = "steering_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    held_on: Mapped[date]
    # The implementation quarter the meeting falls in (1 = the first three months).
    quarter: Mapped[int]
    attendees: Mapped[list] = mapped_column(default=list)
    minutes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<SteeringMeeting {self.id} project={self.project_id} {self.held_on}>"


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (CheckConstraint(_one_of("category", DOCUMENT_CATEGORIES), "doc_category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), index=True)
    change_id: Mapped[int | None] = mapped_column(ForeignKey("change_requests.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("steering_meetings.id"))
    # The sanitised name shown and offered on download; never used as a path.
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # Where the storage keeps it, relative to its root; chosen by the server.
    storage_key: Mapped[str] = mapped_column(String(255), unique=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.category} {self.filename!r}>"


class DocumentChunk(Base):
    """A piece of a document's bytes when TWINFLOW_DOCUMENT_STORE=database, so that every web
    machine sees every file. Keyed by the storage key, not the document's id: the bytes are
    written first, in the transaction that then adds the document row."""

    __tablename__ = "document_chunks"

    storage_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)

    def __repr__(self) -> str:
        return f"<DocumentChunk {self.storage_key} #{self.seq}>"
