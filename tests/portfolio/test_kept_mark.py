"""The kept figures of a scope drawn by country hold only while no project entered or left it
or changed country or sector: the projects' mark (migration 0028's triggers) must notice each,
however the row was written, or a reader would be shown figures of projects no longer theirs."""

from sqlalchemy import update

from twinflow.portfolio.figures import portfolio_figures, recomputed_stage_times, state_labels
from twinflow.portfolio.permissions import portfolio_clause
from twinflow.projects.models import Project


def shown_and_recomputed(session, engine, user):
    portfolio = portfolio_figures(session, engine.registry, user, engine.clock.now())
    session.commit()
    labels = state_labels(engine.registry)
    trail = recomputed_stage_times(session, portfolio_clause(user), labels)
    return [vars(t) for t in portfolio.stage_times], [vars(t) for t in trail]


def georgia_drafting(rows):
    return [
        (r["stays"], r["median_days"])
        for r in rows
        if (r["dimension"], r["group"], r["state"]) == ("country", "GE", "fiche_drafting")
    ]


def move(session, project, **values):
    session.execute(update(Project).where(Project.id == project.id).values(**values))
    session.commit()


def test_a_project_moved_into_a_delegations_countries_brings_its_stays(session, engine, world):
    shown, trail = shown_and_recomputed(session, engine, world.georgia)
    assert shown == trail
    assert georgia_drafting(shown) == [(3, 10.0)]  # A 10 and 6, C 30
    # B (Armenia, fiche drafting 20 days) moved to Georgia by a bare UPDATE: no audit event,
    # no stay ended, so only the projects' mark tells the kept figures are stale.
    move(session, world.b, beneficiary_country="GE")
    shown, trail = shown_and_recomputed(session, engine, world.georgia)
    assert shown == trail
    assert georgia_drafting(shown) == [(4, 15.0)]
    # And out again.
    move(session, world.b, beneficiary_country="AM")
    shown, trail = shown_and_recomputed(session, engine, world.georgia)
    assert shown == trail
    assert georgia_drafting(shown) == [(3, 10.0)]


def test_a_sector_changed_behind_the_apps_back_moves_the_stays_to_its_group(session, engine, world):
    before, _ = shown_and_recomputed(session, engine, world.admin)
    move(session, world.b, sector="JH")
    shown, trail = shown_and_recomputed(session, engine, world.admin)
    assert shown == trail
    sectors = {(r["group"], r["state"]): r["stays"] for r in shown if r["dimension"] == "sector"}
    assert ("FI", "fiche_drafting") not in sectors
    assert sectors[("JH", "fiche_drafting")] == 4
    assert shown != before
