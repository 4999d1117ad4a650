"""The kept stays (folded in from the audit trail a few events at a time) give exactly the
figures a reading of the whole trail gives, for every reader, through random lifecycles."""

import random
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from twinflow.portfolio import kept
from twinflow.portfolio.figures import portfolio_figures, recomputed_stage_times, state_labels
from twinflow.portfolio.models import PortfolioStay
from twinflow.portfolio.permissions import portfolio_clause

COUNTRIES = {"GE": "Georgia", "AM": "Armenia", "MD": "Moldova", "UA": "Ukraine"}
# The moves a project may make from its state: (trigger, who, comment needed).
MOVES = {
    "fiche_drafting": [("submit_fiche", "beneficiary", False)],
    "fiche_review": [
        ("return_fiche", "coordinator", True),
        ("approve_fiche", "coordinator", False),
        ("cancel", "coordinator", True),
    ],
    "call_open": [("suspend", "coordinator", True)],
    "suspended": [("resume", "coordinator", True)],
}


def stage_times(portfolio):
    return [tuple(vars(t).values()) for t in portfolio.stage_times]


def kept_and_recomputed(session, engine, user):
    portfolio = portfolio_figures(session, engine.registry, user, engine.clock.now())
    session.commit()
    trail = recomputed_stage_times(session, portfolio_clause(user), state_labels(engine.registry))
    return portfolio, stage_times(portfolio), [tuple(vars(t).values()) for t in trail]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [25, 18])
def test_kept_figures_equal_the_trail_through_random_lifecycles(
    session, engine, make, clock, monkeypatch, seed
):
    monkeypatch.setattr(kept, "ROUND", 7)  # folds of several rounds, each committed
    rng = random.Random(seed)
    admin, hq = make.user("admin"), make.user("coordinator")
    delegation = make.organisation("EU Delegation to the South Caucasus", countries=["GE", "AM"])
    caucasus = make.user("coordinator", organisation_id=delegation.id)
    readers = (admin, hq, caucasus)
    beneficiaries = {
        code: make.user("beneficiary", country=code, organisation=f"Ministry of Justice of {name}")
        for code, name in COUNTRIES.items()
    }
    projects = []
    for i in range(10):
        code = rng.choice(sorted(COUNTRIES))
        project = make.project(beneficiaries[code], title=f"Project {i}", sector="JH")
        project.sector = rng.choice(["JH", "FI", None])  # None: an imported record's
        project.start_on, project.start_precision = date(2020, 1, 1 + i), "day"
        projects.append(project)
        session.commit()
        clock.set(
            clock.now() + timedelta(hours=rng.randint(1, 40), microseconds=rng.randint(1, 10**6))
        )
    for step in range(60):
        project = rng.choice(projects)
        session.refresh(project)
        moves = MOVES.get(project.state)
        if not moves:
            continue
        trigger, who, comment = rng.choice(moves)
        actor = hq if who == "coordinator" else beneficiaries[project.beneficiary_country]
        result = make.fire(actor, project, trigger, comment="Because." if comment else None)
        assert result.applied, (trigger, project.state)
        # Days, hours and odd microseconds between moves; stays across a new year too.
        clock.set(clock.now() + timedelta(days=rng.randint(0, 90), seconds=rng.random() * 86400))
        if step % 9 == 0:  # the figures read now and then: folds of a few events each
            reader = rng.choice(readers)
            _, kept_rows, trail_rows = kept_and_recomputed(session, engine, reader)
            assert kept_rows == trail_rows
        if step == 30:  # a project moved to another country and sector: the groups follow
            project.beneficiary_country, project.sector = "MD", "FI"
            session.commit()
    for reader in readers:
        portfolio, kept_rows, trail_rows = kept_and_recomputed(session, engine, reader)
        assert kept_rows == trail_rows
        if reader is admin:  # the walk ended stays of several kinds
            assert sum(row[4] for row in kept_rows if row[0] == "all") > 10
            assert len({row[2] for row in kept_rows}) >= 3
    # The Delegation covering Georgia and Armenia sees their projects only, in every figure.
    portfolio = portfolio_figures(session, engine.registry, caucasus, engine.clock.now())
    session.commit()
    theirs = [p for p in projects if p.beneficiary_country in ("GE", "AM")]
    assert portfolio.total_projects == len(theirs)
    assert {t.group for t in portfolio.stage_times if t.dimension == "country"} <= {"GE", "AM"}
    assert sorted(b.project_id for b in portfolio.timeline) == sorted(p.id for p in theirs)
    assert {b.country for b in portfolio.timeline} <= {"GE", "AM"}


def test_a_second_fold_reads_only_the_new_events_and_the_figures_are_kept(
    session, engine, make, clock
):
    admin = make.user("admin")
    beneficiary = make.user("beneficiary", country="GE", organisation="Ministry of Justice")
    project = make.project(beneficiary)
    clock.set(clock.now() + timedelta(days=3))
    make.fire(beneficiary, project, "submit_fiche")
    first = portfolio_figures(session, engine.registry, admin, engine.clock.now())
    session.commit()
    assert [(t.state, t.stays, t.median_days) for t in first.stage_times][:1] == [
        ("fiche_drafting", 1, 3.0)
    ]
    assert kept.fold(session) == 0  # nothing new since
    clock.set(clock.now() + timedelta(days=2))
    make.fire(make.user("coordinator"), project, "return_fiche", comment="Indicators.")
    assert kept.fold(session) >= 1
    session.commit()
    again = portfolio_figures(session, engine.registry, admin, engine.clock.now())
    assert ("all", "fiche_review", 1, 2.0) in [
        (t.dimension, t.state, t.stays, t.median_days) for t in again.stage_times
    ]


def test_two_workers_folding_at_once_keep_each_stay_once(sa_engine, session, make, clock):
    beneficiary = make.user("beneficiary", country="GE", organisation="Ministry of Justice")
    coordinator = make.user("coordinator")
    project = make.project(beneficiary)
    for trigger, who in (
        ("submit_fiche", beneficiary),
        ("return_fiche", coordinator),
        ("submit_fiche", beneficiary),
    ):
        clock.set(clock.now() + timedelta(days=1))
        make.fire(who, project, trigger, comment="Again." if who is coordinator else None)
    start, failures = threading.Barrier(2), []

    def worker():
        try:
            with Session(sa_engine) as own:
                start.wait()
                kept.fold(own)
                own.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert failures == []
    stays = session.scalars(select(PortfolioStay.state).order_by(PortfolioStay.id)).all()
    assert stays == ["fiche_drafting", "fiche_review", "fiche_drafting"]


def test_the_scheduler_pass_folds_the_new_events_so_a_view_has_none_left(
    session, engine, make, clock
):
    from twinflow.deadlines.scheduler import PassSettings, run_pass

    beneficiary = make.user("beneficiary", country="GE", organisation="Ministry of Justice")
    project = make.project(beneficiary)
    clock.set(clock.now() + timedelta(days=3))
    make.fire(beneficiary, project, "submit_fiche")
    settings = PassSettings.from_config(
        {"BASE_URL": "http://twinflow.test", "SMTP_HOST": "", "TIMEZONE": "UTC"}
    )
    result = run_pass(session, clock, settings, deliver=False)
    assert result.events_folded >= 2
    assert "folded into the portfolio" in result.summary()
    assert kept.fold(session) == 0  # the pass left nothing for a page view to fold
