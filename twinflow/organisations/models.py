"""An organisation users belong to, and the beneficiary countries it covers."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from twinflow.i18n import lazy_gettext
from twinflow.orm import Base, utcnow

# The kinds the Twinning Manual names, with how pages call them.
KINDS = {
    "eu_delegation": lazy_gettext("EU Delegation"),
    "commission_service": lazy_gettext("Commission service"),
    "contracting_authority": lazy_gettext("Contracting authority (CFCU / contracting agency)"),
    "beneficiary_institution": lazy_gettext("Beneficiary institution"),
    "member_state_institution": lazy_gettext("Member State institution (mandated body)"),
    "ncp": lazy_gettext("National Contact Point"),
}
# The kinds whose staff coordinate projects, and so cover beneficiary countries.
COVERING_KINDS = ("eu_delegation", "commission_service", "contracting_authority")
# The name the upgrade gives the organisation of every coordinator who had none.
HEADQUARTERS = "Commission headquarters (all countries)"


class Organisation(Base):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('eu_delegation', 'commission_service', 'contracting_authority', "
            "'beneficiary_institution', 'member_state_institution', 'ncp')",
            "kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    # Where it sits (ISO 3166 alpha-2, EL/XK as the EU writes them); none for a Commission
    # service in Brussels.
    country: Mapped[str | None] = mapped_column(String(2))
    # A headquarters unit covers every beneficiary country, now and later.
    covers_all: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    covered: Mapped[list["CoveredCountry"]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="CoveredCountry.country",
    )

    @property
    def countries(self) -> list[str]:
        return [c.country for c in self.covered]

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name} {self.kind}>"


class CoveredCountry(Base):
    """One beneficiary country an organisation covers (its projects are the ones it sees)."""

    __tablename__ = "organisation_countries"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    country: Mapped[str] = mapped_column(String(2), primary_key=True, index=True)

    def __repr__(self) -> str:
        return f"<CoveredCountry {self.organisation_id} {self.country}>"
