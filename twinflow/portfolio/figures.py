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
- timeline: one bar per project with a known start, from start to end (open when unknown);
  the page shows it TIMELINE_PAGE bars at a time.

The stays are kept, not re-read from the whole trail on every view (kept.py).
"""

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
from twinflow.portfolio import kept
from twinflow.portfolio.kept import ENTRY_ACTIONS
from twinflow.portfolio.models import TIMELINE_START
from twinflow.portfolio.permissions import (
    portfolio_clause,
    portfolio_scope_by_country,
    portfolio_scope_key,
)
from twinflow.projects.models import Project


def N_(text: str) -> str:
    return text


# Marked for translation (N_), read in the reader's language where used (the API: English).
NO_ORGANISATION = N_("(no organisation covers this country)")
NO_SECTOR = N_("(no sector)")
DIMENSIONS = ("all", "year", "country", "sector")
# Bars on a page of the portfolio's timeline (the CSV and the API give them all).
TIMELINE_PAGE = 50


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
    # The bars of every visible project with a known start; `timeline` holds them all, or one
    # page of them (the page's timeline, `timeline_page`).
    timeline_total: int = 0
    timeline_page: int = 1

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


def portfolio_figures(
    session: Session, registry, user, now: datetime, timeline_page: int | None = None
) -> Portfolio:
    """The figures over the projects the user may see, as of `now`; the timeline whole, or
    its page `timeline_page` (TIMELINE_PAGE bars). Folds the trail's new events into the kept
    stays: the caller commits."""
    visible = portfolio_clause(user)
    labels = state_labels(registry)
    out = Portfolio(now=now)
    out.stages = _stages(session, visible, labels)
    scope = (portfolio_scope_key(user), portfolio_scope_by_country(user))
    out.stage_times = _stage_times(session, scope, visible, labels)
    out.overdue = _overdue(session, visible, now)
    if timeline_page is None:
        out.timeline = _timeline(session, visible, labels)
        out.timeline_total = len(out.timeline)
    else:
        out.timeline, out.timeline_total, out.timeline_page = _timeline_page(
            session, visible, labels, timeline_page
        )
    return out


def _stages(session, visible, labels) -> list[StageCount]:
    counts = dict(
        session.execute(
            # count(*), not count(id): an index-only scan of (country, state) (migration 0028)
            select(Project.state, func.count()).where(visible).group_by(Project.state)
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


def _stage_times(session, scope, visible, labels) -> list[StageTime]:
    key, by_country = scope
    return labelled_stage_times(kept.stage_times(session, key, visible, by_country), labels)


def recomputed_stage_times(session: Session, visible, labels) -> list[StageTime]:
    """The same figures read from the whole audit trail (what the kept ones must equal)."""
    rows = kept.group_stays(
        (
            project.beneficiary_country,
            project.sector,
            state,
            entered.year,
            (left - entered).total_seconds() / 86400,
        )
        for project, state, entered, left in stays(session, visible)
    )
    return labelled_stage_times(rows, labels)


def labelled_stage_times(rows, labels) -> list[StageTime]:
    """group_stays' rows in the reader's words, for all, then by year, country and sector,
    each in lifecycle order."""
    rank = {s: i for i, s in enumerate(labels)}
    named = [
        (dimension, gettext(NO_SECTOR) if group is None else group, *rest)
        for dimension, group, *rest in rows
    ]
    named.sort(key=lambda r: (DIMENSIONS.index(r[0]), r[1], rank.get(r[2], len(rank)), r[2]))
    return [
        StageTime(dimension, group, state, labels.get(state, state), n, median, p90)
        for dimension, group, state, n, median, p90 in named
    ]


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
    # Counted in SQL by kind, title and country: a few rows, whatever the portfolio's size.
    rows = session.execute(
        select(Deadline.key, Deadline.title, Project.beneficiary_country, func.count())
        .join(Project, Project.id == Deadline.project_id)
        .where(visible, Deadline.status == "open", Deadline.due_at < now)
        .group_by(Deadline.key, Deadline.title, Project.beneficiary_country)
    ).all()
    covering = _covering(session) if rows else {}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    titles: dict[str, str] = {}
    for key, title, country, n in rows:
        titles.setdefault(key, title)
        for organisation in covering.get(country) or [gettext(NO_ORGANISATION)]:
            counts[(key, organisation)] += n
    return [
        Overdue(key, titles[key], organisation, n)
        for (key, organisation), n in sorted(counts.items())
    ]


def _bar(project: Project, labels) -> Bar | None:
    start, end = _span(project)
    if start is None:
        return None
    return Bar(
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


def _timeline(session, visible, labels) -> list[Bar]:
    projects = session.scalars(select(Project).where(visible).order_by(Project.id))
    bars = [bar for bar in (_bar(p, labels) for p in projects) if bar is not None]
    bars.sort(key=lambda b: (b.start, b.project_id))
    return bars


def _timeline_page(session, visible, labels, page: int) -> tuple[list[Bar], int, int]:
    """One page of the timeline in its order (start, then number): ordered and counted in SQL
    (the start as _span reads it), then only the page's projects loaded."""
    start = TIMELINE_START
    bars = (visible, start.is_not(None))
    # The total as its own scalar subquery, not count(*) OVER (): the page then walks the
    # timeline index (PostgreSQL, migration 0028) and stops after its bars.
    total = select(func.count()).select_from(Project).where(*bars).scalar_subquery()

    def read(page):  # the page's ids and the bars' total
        return session.execute(
            select(Project.id, total)
            .where(*bars)
            .order_by(start, Project.id)
            .offset((page - 1) * TIMELINE_PAGE)
            .limit(TIMELINE_PAGE)
        ).all()

    page = max(1, page)
    rows = read(page)
    if not rows and page > 1:  # past the last page: the last one
        first = read(1)
        page = -(-first[0][1] // TIMELINE_PAGE) if first else 1
        rows = read(page) if first else []
    total = rows[0][1] if rows else 0
    chosen = [row[0] for row in rows]
    projects = session.scalars(select(Project).where(Project.id.in_(chosen))) if chosen else []
    bars = sorted((_bar(p, labels) for p in projects), key=lambda b: (b.start, b.project_id))
    return bars, total, page


def _span(project) -> tuple[date | None, date | None]:
    """First and last day as stated (a partial end counts to its period's last day), else the
    implementation's dates."""
    start = stored(project.start_on, project.start_precision)
    end = stored(project.end_on, project.end_precision)
    first = start.first if start else _day(project.implementation_start)
    last = end.last if end else _day(project.implementation_end)
    return first, last


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None
