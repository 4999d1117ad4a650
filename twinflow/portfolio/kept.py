"""The portfolio's stays and time-in-stage figures, kept instead of recomputed on every view.

A stay is read from the audit trail (figures.py says how); re-reading the whole trail on each
view made the page linear in it (40 s at 2M events). Here each audit event is read once:
`fold` takes the events after the watermark (the last seq folded in), ends the stays they end
and keeps them (portfolio_stays), the stay under way per project (portfolio_open_stays) and
the new watermark, under a lock on the watermark row (FOR UPDATE on PostgreSQL; SQLite lets
one writer at a time) so two workers never fold the same events. Nothing is written by a
transition: the walk's statements do not change. Cost: the new events, not the trail.

The medians and 90th percentiles over a reader's projects cannot be summed from parts, so
`stage_times` keeps the figures last computed for each scope (the projects a reader sees) with
a digest of everything they depend on: the last event that ended a stay and each visible
project's id, country and sector. A view whose digest matches reads them (one row); any other
recomputes them from the kept stays, exactly as from the trail (tests/portfolio prove it).
"""

import hashlib
import json
import statistics
from collections import defaultdict
from datetime import timedelta
from itertools import chain

from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from twinflow.audit.models import AuditEvent, AuditHead
from twinflow.portfolio.models import (
    PortfolioKeptFigures,
    PortfolioOpenStay,
    PortfolioProjectsMark,
    PortfolioStay,
    PortfolioWatermark,
)
from twinflow.projects.models import Project

# The audit actions that put a project in a state (to_state); other events never move it.
ENTRY_ACTIONS = ("project_created", "transition", "imported", "workflow_migrated")
# Events read per round of a fold; a long backlog (the first fold after the upgrade) commits
# between rounds, so a request cut short by a worker timeout still leaves its progress.
ROUND = 20_000
MICROSECOND = timedelta(microseconds=1)


def _watermark(session: Session, lock: bool) -> PortfolioWatermark:
    if lock and session.get_bind().dialect.name == "sqlite":
        # A write first takes SQLite's one write lock before anything is read.
        session.execute(
            update(PortfolioWatermark)
            .where(PortfolioWatermark.id == 1)
            .values(seq=PortfolioWatermark.seq)
        )
    query = select(PortfolioWatermark).where(PortfolioWatermark.id == 1)
    if lock:
        query = query.with_for_update()
    mark = session.scalars(query.execution_options(populate_existing=True)).first()
    if mark is None:  # a database emptied by hand: start from the first event
        mark = PortfolioWatermark(id=1, seq=0, stays_seq=0)
        session.add(mark)
        session.flush()
    return mark


def _head(session: Session) -> int:
    return session.scalar(select(AuditHead.seq).where(AuditHead.id == 1)) or 0


def fold(session: Session) -> int:
    """Folds in the audit events after the watermark; returns how many were read. Every event
    up to the head's seq is committed (the head row moves in the appending transaction)."""
    mark = session.scalar(select(PortfolioWatermark.seq).where(PortfolioWatermark.id == 1))
    if mark is not None and mark >= _head(session):
        return 0  # nothing new: no lock taken
    done = 0
    while True:
        mark = _watermark(session, lock=True)
        head = _head(session)
        if mark.seq >= head:
            return done
        upto = min(head, mark.seq + ROUND)
        _fold_round(session, mark, upto)
        done += upto - mark.seq
        mark.seq = upto
        session.flush()
        if upto == head:
            return done
        session.commit()  # a long backlog: keep each round's progress


def _fold_round(session: Session, mark: PortfolioWatermark, upto: int) -> None:
    events = session.execute(
        select(
            AuditEvent.seq,
            AuditEvent.project_id,
            AuditEvent.action,
            AuditEvent.to_state,
            AuditEvent.occurred_at,
        )
        .where(
            AuditEvent.seq > mark.seq,
            AuditEvent.seq <= upto,
            AuditEvent.action.in_(ENTRY_ACTIONS),
            AuditEvent.to_state.is_not(None),
            AuditEvent.project_id.is_not(None),
        )
        .order_by(AuditEvent.seq)
    ).all()
    if not events:
        return
    ids = sorted({e.project_id for e in events})
    current: dict[int, dict] = {}
    for start in range(0, len(ids), 500):
        for row in session.execute(
            select(PortfolioOpenStay.__table__).where(
                PortfolioOpenStay.project_id.in_(ids[start : start + 500])
            )
        ).mappings():
            current[row["project_id"]] = dict(row)
    before = set(current)
    ended = []
    for seq, project_id, action, state, at in events:
        stay = current.get(project_id)
        if stay is not None:
            if state == stay["state"]:
                continue  # a migration to a new version of the same state: the stay goes on
            if not stay["imported"]:
                entered = stay["entered_at"]
                micros = (at - entered) // MICROSECOND
                ended.append(dict(project_id=project_id, state=stay["state"], entered_at=entered))
                ended[-1].update(year=entered.year, micros=micros)
                mark.stays_seq = seq
        current[project_id] = dict(
            project_id=project_id, state=state, entered_at=at, imported=action == "imported"
        )
    if ended:
        session.execute(insert(PortfolioStay), ended)
    table = PortfolioOpenStay.__table__
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        gone = [i for i in part if i in before]
        if gone:
            session.execute(delete(table).where(table.c.project_id.in_(gone)))
    session.execute(insert(table), [current[i] for i in ids])


# -- the time-in-stage figures ---------------------------------------------------------------


def percentiles(days: list[float]) -> tuple[float, float]:
    """Median and 90th percentile, interpolated between the nearest ranks (the "inclusive"
    method of statistics.quantiles, numpy's default)."""
    if len(days) == 1:
        return days[0], days[0]
    p90 = statistics.quantiles(days, n=10, method="inclusive")[8]
    return statistics.median(days), p90


def group_stays(stays) -> list[list]:
    """(country, sector, state, year, days) of each stay -> [dimension, group, state, stays,
    median, p90] for all, by year, country and sector; a stay without a sector in group None
    (named in the reader's language where shown)."""
    groups: dict[tuple, list[float]] = defaultdict(list)
    for country, sector, state, year, days in stays:
        for key in (
            ("all", "", state),
            ("year", str(year), state),
            ("country", country, state),
            ("sector", sector or None, state),
        ):
            groups[key].append(days)
    out = []
    for (dimension, group, state), days in groups.items():
        median, p90 = percentiles(days)
        out.append([dimension, group, state, len(days), round(median, 2), round(p90, 2)])
    return out


def _inputs(session: Session, visible, by_country: bool = False) -> str:
    """The digest of what the figures depend on: the last event that ended a stay, and the
    visible projects (which are counted, and their country and sector: the groups).

    A scope drawn by country alone (`by_country`: the portfolio's readers) sees a project
    through its country only, so the projects' mark (moved on by a trigger whenever a project
    is added or removed or its id, country or sector changes: migration 0028) stands for the
    visible projects: two one-row reads instead of one pass over them. Any other scope, or a
    database without the mark's row, digests each visible project (in SQL on PostgreSQL)."""
    if by_country:
        mark = PortfolioProjectsMark
        row = session.execute(
            select(
                select(PortfolioWatermark.stays_seq)
                .where(PortfolioWatermark.id == 1)
                .scalar_subquery(),
                select(mark.version).where(mark.id == 1).scalar_subquery(),
            )
        ).one()
        if None not in row:
            return hashlib.sha256(json.dumps(["mark", *row]).encode()).hexdigest()
    stays_seq = session.scalar(
        select(PortfolioWatermark.stays_seq).where(PortfolioWatermark.id == 1)
    )
    if session.get_bind().dialect.name == "postgresql":
        part = func.concat_ws("|", Project.id, Project.beneficiary_country, Project.sector)
        projects = session.execute(
            select(
                func.count(Project.id),
                func.md5(func.string_agg(part, aggregate_order_by(literal(","), Project.id))),
            ).where(visible)
        ).one()
        text = json.dumps([stays_seq, list(projects)])
    else:
        rows = session.execute(
            select(Project.id, Project.beneficiary_country, Project.sector)
            .where(visible)
            .order_by(Project.id)
        ).all()
        text = json.dumps([stays_seq, [list(p) for p in rows]])
    return hashlib.sha256(text.encode()).hexdigest()


def _days(micros: int) -> float:
    return micros / 1_000_000 / 86400  # timedelta.total_seconds() / 86400, to the bit


def _sorted_percentiles(micros: list[int]) -> tuple[float, float]:
    """`percentiles` of the days of these sorted lengths, by the same arithmetic as
    statistics.median and statistics.quantiles (inclusive), read at the ranks they use."""
    n = len(micros)
    if n == 1:
        return _days(micros[0]), _days(micros[0])
    half = n // 2
    middle = _days(micros[half])
    median = middle if n % 2 else (_days(micros[half - 1]) + middle) / 2
    j, delta = divmod(9 * (n - 1), 10)
    return median, (_days(micros[j]) * (10 - delta) + _days(micros[j + 1]) * delta) / 10


def _computed(session: Session, visible) -> list[list]:
    """group_stays over the kept stays, with less work per stay: the lengths grouped once by
    (country, sector, state, year), each group sorted, then merged into each figure's groups;
    only the ranks a percentile reads become days."""
    rows = session.connection().execute(
        select(
            Project.beneficiary_country,
            Project.sector,
            PortfolioStay.state,
            PortfolioStay.year,
            PortfolioStay.micros,
        )
        .join(Project, Project.id == PortfolioStay.project_id)
        .where(visible)
    )
    finest: dict[tuple, list[int]] = defaultdict(list)
    for country, sector, state, year, micros in rows:
        finest[(country, sector or None, state, year)].append(micros)
    groups: dict[tuple, list[list[int]]] = defaultdict(list)
    for (country, sector, state, year), lengths in finest.items():
        lengths.sort()  # small groups; the figures' groups then merge sorted runs
        for key in (
            ("all", "", state),
            ("year", str(year), state),
            ("country", country, state),
            ("sector", sector, state),
        ):
            groups[key].append(lengths)
    out = []
    for (dimension, group, state), runs in groups.items():
        lengths = runs[0] if len(runs) == 1 else sorted(chain.from_iterable(runs))
        median, p90 = _sorted_percentiles(lengths)
        out.append([dimension, group, state, len(lengths), round(median, 2), round(p90, 2)])
    return out


def stage_times(session: Session, scope_key: str, visible, by_country: bool = False) -> list[list]:
    """The raw time-in-stage rows over the projects matching `visible` (group_stays' form),
    after folding in the new events; `scope_key` names the reader's scope (one kept row each),
    `by_country` says it is drawn by the projects' country alone (_inputs).
    The caller commits (what was folded and kept)."""
    fold(session)
    scope = hashlib.sha256(scope_key.encode()).hexdigest()
    inputs = _inputs(session, visible, by_country)
    kept = PortfolioKeptFigures.__table__
    found = session.scalar(
        select(kept.c.body).where(kept.c.scope == scope, kept.c.inputs == inputs)
    )
    if found is not None:
        return json.loads(found)
    _watermark(session, lock=True)  # one worker computes; another then finds its figures
    inputs = _inputs(session, visible, by_country)
    found = session.scalar(
        select(kept.c.body).where(kept.c.scope == scope, kept.c.inputs == inputs)
    )
    if found is not None:
        return json.loads(found)
    body = _computed(session, visible)
    session.execute(delete(kept).where(kept.c.scope == scope))
    session.execute(
        insert(kept).values(scope=scope, inputs=inputs, body=json.dumps(body), scope_key=scope_key)
    )
    return body


def refresh(session: Session) -> int:
    """Computes again the kept figures of each scope drawn by country whose inputs moved on (a
    stay ended, a project added or moved), so the next view finds them kept: the scheduler
    pass calls it right after its fold. Returns how many scopes were computed. Commits after
    each (what is folded and kept so far), so a view waits on the lock for one scope at most.
    A scope of another kind, or a row kept before 0028, waits for its next view."""
    from twinflow.portfolio.permissions import drawn_by_country, scope_from_key

    kept = PortfolioKeptFigures.__table__
    computed = 0
    for key, inputs in session.execute(
        select(kept.c.scope_key, kept.c.inputs).where(kept.c.scope_key.is_not(None))
    ).all():
        scope = scope_from_key(key)
        if not drawn_by_country(scope):
            continue
        if _inputs(session, scope.clause(), by_country=True) == inputs:
            continue
        stage_times(session, key, scope.clause(), by_country=True)
        session.commit()
        computed += 1
    return computed
