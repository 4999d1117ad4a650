"""The scheduler pass computes again the kept figures of the scopes in use once a stay ended,
so the first view after a transition reads them (not seconds of computing at 10,000 projects)
and they are exactly the trail's."""

from datetime import timedelta

import pytest

from twinflow.deadlines.scheduler import PassSettings, run_pass
from twinflow.portfolio import kept
from twinflow.portfolio.figures import portfolio_figures, recomputed_stage_times, state_labels
from twinflow.portfolio.permissions import portfolio_clause


def shown(session, engine, user):
    portfolio = portfolio_figures(session, engine.registry, user, engine.clock.now())
    session.commit()
    return [vars(t) for t in portfolio.stage_times]


def from_the_trail(session, engine, user):
    labels = state_labels(engine.registry)
    return [vars(t) for t in recomputed_stage_times(session, portfolio_clause(user), labels)]


def a_pass(session, clock):
    settings = PassSettings.from_config(
        {"BASE_URL": "http://twinflow.test", "SMTP_HOST": "", "TIMEZONE": "UTC"}
    )
    return run_pass(session, clock, settings, deliver=False)


def test_after_the_pass_a_view_reads_the_figures_it_computed_and_they_are_the_trails(
    session, engine, make, clock, world, monkeypatch
):
    readers = (world.admin, world.hq, world.georgia)
    for reader in readers:  # the scopes in use: every country (admin and HQ), Georgia
        shown(session, engine, reader)
    before = {id(r): shown(session, engine, r) for r in readers}
    clock.set(clock.now() + timedelta(days=5))
    make.fire(world.hq, world.a, "return_fiche", comment="Indicators.")  # a stay ends
    result = a_pass(session, clock)
    assert result.figures_refreshed == 2
    assert "computed again for 2 scope(s)" in result.summary()

    def no_computing(*args):
        raise AssertionError("the view computed figures the pass had kept")

    monkeypatch.setattr(kept, "_computed", no_computing)
    for reader in readers:
        figures = shown(session, engine, reader)
        assert figures == from_the_trail(session, engine, reader)
        assert figures != before[id(reader)]  # A's 5 days in review counted
    # Nothing moved since: the next pass computes nothing.
    assert a_pass(session, clock).figures_refreshed == 0


def test_a_scope_the_pass_did_not_refresh_is_computed_on_its_view(
    session, engine, make, clock, world
):
    shown(session, engine, world.georgia)
    clock.set(clock.now() + timedelta(days=5))
    make.fire(world.hq, world.a, "return_fiche", comment="Indicators.")
    # No pass: the kept row no longer matches, the view computes (and keeps) the figures.
    assert shown(session, engine, world.georgia) == from_the_trail(session, engine, world.georgia)
    assert a_pass(session, clock).figures_refreshed == 0


@pytest.mark.parametrize("key", ["none", '[null, "ministry of justice", false]'])
def test_a_scope_not_drawn_by_country_alone_is_left_to_its_view(session, clock, key):
    from sqlalchemy import insert

    from twinflow.portfolio.models import PortfolioKeptFigures

    session.execute(
        insert(PortfolioKeptFigures).values(scope="x", inputs="stale", body="[]", scope_key=key)
    )
    session.commit()
    assert a_pass(session, clock).figures_refreshed == 0
