"""The portfolio's figures, free of Flask: the page, the API and the CSV downloads all read them
from `portfolio_figures`, so the three cannot disagree.

- stages: projects by their current stage, in lifecycle order (fiche to closure);
- stage_times: days spent in each stage (median, 90th percentile) over every stay that ended,
  for all projects and by the year the stay began, beneficiary country and sector. A stay is
  read from the audit trail: it begins with the event that entered the state (creation, a
  transition, a workflow migration) and ends with the next one. A stay begun by an import is
  left out: its real beginning is before twinflow and unknown;
- overdue: open deadlines past due, by kind and by the organisation covering the beneficiary
  country (a headquarters unit covering every country is left out: it would repeat the total);
- timeline: one bar per project with a known start, from start to end (open when unknown).
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twinflow.audit.models import AuditEvent
from twinflow.deadlines.models import Deadline
from twinflow.i18n import gettext
from twinflow.organisations.models import COVERING_KINDS, CoveredCountry, Organisation
from twinflow.partial_dates import format_partial, stored
from twinflow.projects.models import Project


def N_(text: str) -> str:
    return text


# The audit actions that put a project in a state (to_state); other events never move it.
ENTRY_ACTIONS = ("project_created", "transition", "imported", "workflow_migrated")
# Marked for translation (N_), read in the reader's language where used (the API: English).
NO_ORGANISATION = N_("(no organisation covers this country)")
NO_SECTOR = N_("(no sector)")
DIMENSIONS = ("all", "year", "country", "sector")


@dataclass(frozen=True)
class StageCount:
    state: str
    label: str
    projects: int


@dataclass(frozen=True)
class StageTime:
    dimension: str  # all, year, country or sector
    group: str  # "" for all, else the year, the country code or the sector code
    state: str
    label: str
    stays: int
    median_days: float
    p90_days: float


@dataclass(frozen=True)
class Overdue:
    kind: str  # the deadline's key
    title: str
    organisation: str
    deadlines: int


@dataclass(frozen=True)
class Bar:
    project_id: int
    reference: str
    title: str
    country: str
    state: str
    label: str
    start: date
    end: date | None
    start_text: str
    end_text: str


@dataclass
class Portfolio:
    now: datetime
    stages: list[StageCount] = field(default_factory=list)
    stage_times: list[StageTime] = field(default_factory=list)
    overdue: list[Overdue] = field(default_factory=list)
    timeline: list[Bar] = field(default_factory=list)

    @property
    def total_projects(self) -> int:
        return sum(s.projects for s in self.stages)


def state_labels(registry) -> dict[str, str]:
    """Every state of every lifecycle, in lifecycle order (the first lifecycle's order, then
    the states only later ones have), with its label."""
    labels: dict[str, str] = {}
    for name in registry.names():
        for state, spec in registry.current(name).states.items():
            labels.setdefault(state, spec.label)
    return labels


def portfolio_figures(session: Session, registry, visible, now: datetime) -> Portfolio:
    """The figures over the projects matching `visible` (a WHERE clause over Project: the
    reader's visibility rule), as of `now`."""
    labels = state_labels(registry)
    out = Portfolio(now=now)
    out.stages = _stages(session, visible, labels)
    out.stage_times = _stage_times(session, visible, labels)
    out.overdue = _overdue(session, visible, now)
    out.timeline = _timeline(session, visible, labels)
    return out


def _stages(session, visible, labels) -> list[StageCount]:
    counts = dict(
        session.execute(
            select(Project.state, func.count(Project.id)).where(visible).group_by(Project.state)
        ).all()
    )
    order = list(labels) + sorted(set(counts) - set(labels))
    return [StageCount(s, labels.get(s, s), counts.get(s, 0)) for s in order]


class Where(NamedTuple):
    """What a stay is grouped by besides its year: the project's country and sector."""

    id: int
    beneficiary_country: str
    sector: str | None


def stays(session: Session, visible) -> list[tuple[Where, str, datetime, datetime]]:
    """Every ended stay of a visible project: (project, state, entered, left). Plain columns,
    not Project entities: a portfolio's trail holds hundreds of thousands of entries."""
    rows = session.execute(
        select(
            Project.id,
            Project.beneficiary_country,
            Project.sector,
            AuditEvent.action,
            AuditEvent.to_state,
            AuditEvent.occurred_at,
        )
        .join(AuditEvent, AuditEvent.project_id == Project.id)
        .where(visible, AuditEvent.action.in_(ENTRY_ACTIONS), AuditEvent.to_state.is_not(None))
        .order_by(Project.id, AuditEvent.seq)
    )
    found = []
    previous = None  # (project, action, state, at) of the stay under way
    project = None
    for project_id, country, sector, action, state, at in rows:
        if project is None or project.id != project_id:
            project = Where(project_id, country, sector)
        if previous is not None and previous[0].id == project.id:
            if state == previous[2]:
                continue  # a migration to a new version of the same state: the stay goes on
            if previous[1] != "imported":
                found.append((project, previous[2], previous[3], at))
        previous = (project, action, state, at)
    return found


def _percentiles(days: list[float]) -> tuple[float, float]:
    """Median and 90th percentile, interpolated between the nearest ranks (the "inclusive"
    method of statistics.quantiles, numpy's default)."""
    if len(days) == 1:
        return days[0], days[0]
    p90 = statistics.quantiles(days, n=10, method="inclusive")[8]
    return statistics.median(days), p90


def _stage_times(session, visible, labels) -> list[StageTime]:
    groups: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for project, state, entered, left in stays(session, visible):
        days = (left - entered).total_seconds() / 86400
        for dimension, group in (
            ("all", ""),
            ("year", str(entered.year)),
            ("country", project.beneficiary_country),
            ("sector", project.sector or gettext(NO_SECTOR)),
        ):
            groups[(dimension, group, state)].append(days)
    rank = {s: i for i, s in enumerate(labels)}
    out = []
    for (dimension, group, state), days in sorted(
        groups.items(),
        key=lambda item: (
            DIMENSIONS.index(item[0][0]),
            item[0][1],
            rank.get(item[0][2], len(rank)),
            item[0][2],
        ),
    ):
        median, p90 = _percentiles(days)
        out.append(
            StageTime(
                dimension,
                group,
                state,
                labels.get(state, state),
                len(days),
                round(median, 2),
                round(p90, 2),
            )
        )
    return out


def _covering(session) -> dict[str, list[str]]:
    """Beneficiary country -> names of the organisations covering it (not the headquarters)."""
    rows = session.execute(
        select(CoveredCountry.country, Organisation.name)
        .join(Organisation, Organisation.id == CoveredCountry.organisation_id)
        .where(Organisation.kind.in_(COVERING_KINDS), Organisation.covers_all.is_(False))
        .order_by(Organisation.name)
    ).all()
    found: dict[str, list[str]] = defaultdict(list)
    for country, name in rows:
        found[country].append(name)
    return found


def _overdue(session, visible, now) -> list[Overdue]:
    rows = session.execute(
        select(Deadline.key, Deadline.title, Project.beneficiary_country)
        .join(Project, Project.id == Deadline.project_id)
        .where(visible, Deadline.status == "open", Deadline.due_at < now)
    ).all()
    covering = _covering(session) if rows else {}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    titles: dict[str, str] = {}
    for key, title, country in rows:
        titles.setdefault(key, title)
        for organisation in covering.get(country) or [gettext(NO_ORGANISATION)]:
            counts[(key, organisation)] += 1
    return [
        Overdue(key, titles[key], organisation, n)
        for (key, organisation), n in sorted(counts.items())
    ]


def _timeline(session, visible, labels) -> list[Bar]:
    bars = []
    for project in session.scalars(select(Project).where(visible).order_by(Project.id)):
        start, end = _span(project)
        if start is None:
            continue
        bars.append(
            Bar(
                project.id,
                project.reference,
                project.title,
                project.beneficiary_country,
                project.state,
                labels.get(project.state, project.state),
                start,
                end,
                project.start_display or format_partial(start, "day"),
                project.end_display or (format_partial(end, "day") if end else ""),
            )
        )
    bars.sort(key=lambda b: (b.start, b.project_id))
    return bars


def _span(project: Project) -> tuple[date | None, date | None]:
    """First and last day as stated (a partial end counts to its period's last day), else the
    implementation's dates."""
    start = stored(project.start_on, project.start_precision)
    end = stored(project.end_on, project.end_precision)
    first = start.first if start else _day(project.implementation_start)
    last = end.last if end else _day(project.implementation_end)
    return first, last


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None
