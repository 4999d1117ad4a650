"""The portfolio's figures, computed without Flask, equal the ones worked out by hand."""

from datetime import date, timedelta

from twinflow.imports.operations import run_import
from twinflow.portfolio.figures import NO_ORGANISATION, portfolio_figures
from twinflow.projects.models import Project


def figures_for(session, engine, user):
    return portfolio_figures(session, engine.registry, user, engine.clock.now())


def times(portfolio, dimension, group=""):
    return {
        t.state: (t.stays, t.median_days, t.p90_days)
        for t in portfolio.stage_times
        if t.dimension == dimension and t.group == group
    }


def test_projects_by_stage_count_each_project_in_its_stage_in_lifecycle_order(
    session, engine, world
):
    portfolio = figures_for(session, engine, world.admin)
    stages = [(s.state, s.projects) for s in portfolio.stages]
    assert stages[:3] == [("fiche_drafting", 1), ("fiche_review", 2), ("call_open", 0)]
    assert [s for s, _ in stages][-2:] == ["closed", "cancelled"]
    assert portfolio.total_projects == 3


def test_time_in_stage_has_the_hand_computed_median_and_90th_percentile(session, engine, world):
    portfolio = figures_for(session, engine, world.admin)
    # drafting [6, 10, 20, 30]: median 15, p90 at rank 2.7 = 20 + 0.7 * 10
    # review [2, 4]: median 3, p90 at rank 0.9 = 2 + 0.9 * 2
    assert times(portfolio, "all") == {
        "fiche_drafting": (4, 15.0, 27.0),
        "fiche_review": (2, 3.0, 3.8),
    }
    # Georgia: drafting [6, 10, 30] -> 10 and 10 + 0.8 * 20; review [4]
    assert times(portfolio, "country", "GE") == {
        "fiche_drafting": (3, 10.0, 26.0),
        "fiche_review": (1, 4.0, 4.0),
    }
    assert times(portfolio, "country", "AM") == {
        "fiche_drafting": (1, 20.0, 20.0),
        "fiche_review": (1, 2.0, 2.0),
    }
    assert times(portfolio, "sector", "JH") == times(portfolio, "country", "GE")
    assert times(portfolio, "sector", "FI") == times(portfolio, "country", "AM")
    assert times(portfolio, "year", "2027") == times(portfolio, "all")


def test_overdue_deadlines_count_open_ones_past_due_by_kind_and_covering_organisation(
    session, engine, world
):
    portfolio = figures_for(session, engine, world.admin)
    assert [(o.kind, o.organisation, o.deadlines) for o in portfolio.overdue] == [
        ("final_report", NO_ORGANISATION, 1),
        ("interim_report", "EU Delegation to Georgia", 2),
    ]


def test_the_timeline_shows_projects_with_a_known_start_at_their_stated_precision(
    session, engine, world
):
    portfolio = figures_for(session, engine, world.admin)
    bars = [(b.reference, b.start, b.end, b.start_text, b.end_text) for b in portfolio.timeline]
    assert bars == [
        (world.a.reference, date(2017, 7, 1), date(2019, 9, 30), "Q3 2017", "Sep 2019"),
        (world.b.reference, date(2018, 1, 15), None, "15 Jan 2018", ""),
    ]


def test_a_coordinator_counts_only_the_countries_their_organisation_covers(session, engine, world):
    portfolio = figures_for(session, engine, world.georgia)
    assert [(s.state, s.projects) for s in portfolio.stages][:2] == [
        ("fiche_drafting", 0),
        ("fiche_review", 2),
    ]
    assert times(portfolio, "all") == {
        "fiche_drafting": (3, 10.0, 26.0),
        "fiche_review": (1, 4.0, 4.0),
    }
    assert times(portfolio, "country", "AM") == {}
    assert [(o.kind, o.deadlines) for o in portfolio.overdue] == [("interim_report", 2)]
    assert [b.reference for b in portfolio.timeline] == [world.a.reference]


def test_a_stay_begun_by_an_import_is_left_out_and_the_next_one_counts(
    session, engine, make, clock
):
    admin, hq = make.user("admin"), make.user("coordinator")
    ministry = "Ministry of Justice of Georgia"
    beneficiary = make.user("beneficiary", country="GE", organisation=ministry)
    row = (
        "title,type,beneficiary_country,beneficiary_institution,budget_eur,"
        "implementation_months,state\n"
        f"Courts,twinning,GE,{ministry},1500000,24,fiche_review\n"
    )
    report = run_import(session, engine, None, row.encode(), filename="one.csv")
    assert report.applied, report.errors
    session.commit()
    project = session.get(Project, report.rows[0].project_id)
    clock.set(clock.now() + timedelta(days=5))
    make.fire(hq, project, "return_fiche", comment="Complete the budget.")
    clock.set(clock.now() + timedelta(days=3))
    make.fire(beneficiary, project, "submit_fiche")
    portfolio = figures_for(session, engine, admin)
    # Fiche review from the import (its start unknown) is not counted; drafting's 3 days are.
    assert times(portfolio, "all") == {"fiche_drafting": (1, 3.0, 3.0)}
