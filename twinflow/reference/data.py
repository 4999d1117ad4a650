"""The reference data as the code reads it: instruments, sectors, countries and Member States,
priority areas; loaded from workflows/reference/*.yaml by loader.py."""

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from babel import Locale, UnknownLocaleError

from twinflow.i18n import gettext
from twinflow.workflow.labels import Labels


@dataclass(frozen=True)
class Period:
    """Inclusive first and last day; None: open on that side."""

    start: date | None = None
    until: date | None = None

    def contains(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (
            self.until is None or day <= self.until
        )

    def overlaps(self, first: date, last: date) -> bool:
        """Whether any day from `first` to `last` (a partial date's span) falls in the period."""
        return (self.start is None or self.start <= last) and (
            self.until is None or first <= self.until
        )

    def __str__(self) -> str:
        start = self.start.isoformat() if self.start else "…"
        until = self.until.isoformat() if self.until else gettext("today")
        return f"{start} – {until}"


@dataclass(frozen=True)
class Instrument:
    code: str
    titles: Labels
    period: Period
    new_projects: bool
    aliases: tuple[str, ...]

    # Names read in the page's language (English outside a web request: the API's).
    @property
    def title(self) -> str:
        return self.titles.text()


@dataclass(frozen=True)
class Sector:
    code: str
    labels: Labels
    new_projects: bool

    @property
    def label(self) -> str:
        return self.labels.text()


@cache
def _territories(language: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(language).territories)
    except (ValueError, UnknownLocaleError):
        return {}


def territory_name(iso: str, language: str) -> str | None:
    return _territories(language).get(iso)


@dataclass(frozen=True)
class Country:
    code: str  # the EU code: EL for Greece, UK, XK
    name: str
    iso: str | None  # ISO 3166-1 alpha-2, where ISO has one


@dataclass(frozen=True)
class Beneficiary:
    code: str
    region: str
    until: date | None


@dataclass(frozen=True)
class Subsector:
    code: str
    labels: Labels

    @property
    def label(self) -> str:
        return self.labels.text()


@dataclass(frozen=True)
class PriorityArea:
    code: str
    labels: Labels
    period: Period
    subsectors: tuple[Subsector, ...]

    @property
    def label(self) -> str:
        return self.labels.text()


@dataclass(frozen=True)
class ReferenceData:
    instruments: dict[str, Instrument]
    sectors: dict[str, Sector]
    countries: dict[str, Country]  # every code accepted as a country, EU codes included
    aliases: dict[str, str]  # another spelling -> EU code (GR -> EL)
    member_states: dict[str, Period]
    beneficiaries: dict[str, Beneficiary]
    priority_areas: dict[str, PriorityArea]
    files: tuple[str, ...] = field(default=())
    _instrument_names: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        names = self._instrument_names
        for code, instrument in self.instruments.items():
            for spelling in (code, *instrument.aliases):
                names[_squash(spelling)] = code

    # -- instruments -----------------------------------------------------------------------

    def instrument_code(self, text: str | None) -> str | None:
        """The instrument's code for a code or an alias, whatever the case and spacing
        ("enp" -> "ENPI", "NDICI-Global Europe" -> "NDICI"); None when unknown."""
        return self._instrument_names.get(_squash(text or "")) if text else None

    def instrument_label(self, code: str | None) -> str:
        found = self.instruments.get(code or "")
        return found.title if found else (code or "")

    def new_project_instruments(self) -> dict[str, str]:
        return {c: i.title for c, i in self.instruments.items() if i.new_projects}

    def default_instrument(self, country: str | None, today: date) -> str | None:
        """The instrument a new project of this beneficiary country most likely uses: IPA for
        an enlargement country, else the new-project instrument in force today (NDICI for
        Georgia in 2026, not IPA); None when the country is not a beneficiary."""
        found = self.beneficiaries.get(country or "")
        if found is None:
            return None
        offered = {c: i for c, i in self.instruments.items() if i.new_projects}
        if found.region == "Enlargement":
            return "IPA" if "IPA" in offered else None
        current = [
            c for c, i in offered.items() if not c.startswith("IPA") and i.period.contains(today)
        ]
        return current[0] if current else None

    # -- sectors ---------------------------------------------------------------------------

    def sector_code(self, text: str | None) -> str | None:
        code = (text or "").strip().upper()
        return code if code in self.sectors else None

    def sector_label(self, code: str | None) -> str:
        found = self.sectors.get(code or "")
        return found.label if found else (code or "")

    def new_project_sectors(self) -> dict[str, str]:
        return {c: s.label for c, s in self.sectors.items() if s.new_projects}

    # -- countries -------------------------------------------------------------------------

    def country_code(self, text: str | None) -> str | None:
        """The EU code of a country code or alias ("gr" -> "EL"); None when no such country."""
        code = (text or "").strip().upper()
        code = self.aliases.get(code, code)
        return code if code in self.countries else None

    def country_name(self, code: str | None, language: str = "en") -> str:
        """The name in English (ISO's, or the reference file's own), or in `language` as
        Babel's CLDR territory names give it (ISO codes: Greece is EL here, GR there)."""
        if not code:
            return "—"
        found = self.countries.get(self.aliases.get(code.upper(), code.upper()))
        if found is None:
            return code.upper()
        if language != "en":
            return territory_name(found.iso or found.code, language) or found.name
        return found.name

    def is_member_state(self, code: str | None, first: date, last: date | None = None) -> bool:
        """A Member State on `first` (or on any day up to `last`): the United Kingdom leads a
        project of 2019, not one of 2021; Croatia joins from 1 July 2013."""
        period = self.member_states.get(self.country_code(code) or "")
        return period is not None and period.overlaps(first, last or first)

    def member_states_on(self, day: date) -> list[str]:
        return sorted(c for c, p in self.member_states.items() if p.contains(day))

    def is_beneficiary(self, code: str | None, first: date | None = None) -> bool:
        found = self.beneficiaries.get(self.country_code(code) or "")
        if found is None:
            return False
        return first is None or found.until is None or first <= found.until

    # -- priority areas --------------------------------------------------------------------

    def subsector_label(self, area: str | None, code: str | None) -> str:
        found = self.priority_areas.get(area or "")
        for sub in found.subsectors if found else ():
            if sub.code == code:
                return sub.label
        return code or ""


def _squash(text: str) -> str:
    """An instrument's spelling compared without case, spaces, hyphens or dots."""
    return "".join(ch for ch in text.upper() if ch.isalnum())
