"""Components of the fiche, the mandatory results each must reach, and their indicators."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from twinflow.orm import Base, utcnow


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
        return share_reached(self.baseline, self.target, self.reached)

    def __repr__(self) -> str:
        return f"<Indicator {self.id} {self.name!r} {self.reached}/{self.target}>"


def share_reached(baseline, target, reached) -> int | None:
    """Indicator.percent of these values (the project page reads only them, not the rows)."""
    if reached is None or target == baseline:
        return None
    share = (reached - baseline) / (target - baseline)
    return max(0, min(100, round(share * 100)))
