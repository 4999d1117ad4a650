"""The portfolio page, its CSV downloads and GET /api/v1/reports/portfolio give the figures
of twinflow/portfolio/figures.py, to coordinators (over their countries) and administrators."""

import csv
import io
import re


def rows_of(response):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_api_returns_the_hand_computed_figures(api, world):
    body = api.as_(world.admin).get("/reports/portfolio").get_json()
    stages = {s["state"]: s["projects"] for s in body["stages"]}
    assert (stages["fiche_drafting"], stages["fiche_review"], stages["closed"]) == (1, 2, 0)
    overall = {
        t["state"]: (t["stays"], t["median_days"], t["p90_days"])
        for t in body["stage_times"]
        if t["dimension"] == "all"
    }
    assert overall == {"fiche_drafting": (4, 15.0, 27.0), "fiche_review": (2, 3.0, 3.8)}
    assert [(o["kind"], o["organisation"], o["deadlines"]) for o in body["overdue"]] == [
        ("final_report", "(no organisation covers this country)", 1),
        ("interim_report", "EU Delegation to Georgia", 2),
    ]
    assert [(b["reference"], b["start"], b["end"]) for b in body["timeline"]] == [
        (world.a.reference, "2017-07-01", "2019-09-30"),
        (world.b.reference, "2018-01-15", None),
    ]


def test_the_api_gives_a_coordinator_only_the_countries_their_organisation_covers(api, world):
    body = api.as_(world.georgia).get("/reports/portfolio").get_json()
    assert {s["state"]: s["projects"] for s in body["stages"]}["fiche_drafting"] == 0
    assert {t["group"] for t in body["stage_times"] if t["dimension"] == "country"} == {"GE"}
    assert [b["reference"] for b in body["timeline"]] == [world.a.reference]


def test_the_api_refuses_the_portfolio_to_a_beneficiary_and_a_member_state(api, world, make):
    for user in (make.user("beneficiary"), make.user("member_state")):
        response = api.as_(user).get("/reports/portfolio")
        assert response.status_code == 403
        assert "coordinators and administrators" in response.get_json()["error"]["message"]


def test_the_page_draws_each_figure_and_offers_it_as_csv(as_user, world):
    page = as_user(world.admin).text("/portfolio")
    for name in ("stages", "stage_times", "overdue", "timeline"):
        assert f'id="chart-{name}"' in page
        assert f'href="/portfolio/{name}.csv"' in page
    assert "vendor/chart.umd.min.js" in page
    assert "cdn" not in page.lower()


def test_the_csv_downloads_hold_the_same_figures_as_the_api(as_user, api, world):
    browser = as_user(world.georgia)
    body = api.as_(world.georgia).get("/reports/portfolio").get_json()
    response = browser.get("/portfolio/stage_times.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert [
        (r["dimension"], r["group"], r["state"], float(r["median_days"]), float(r["p90_days"]))
        for r in rows_of(response)
    ] == [
        (t["dimension"], t["group"], t["state"], t["median_days"], t["p90_days"])
        for t in body["stage_times"]
    ]
    overdue = rows_of(browser.get("/portfolio/overdue.csv"))
    assert [(r["kind"], r["organisation"], r["deadlines"]) for r in overdue] == [
        ("interim_report", "EU Delegation to Georgia", "2")
    ]
    timeline = rows_of(browser.get("/portfolio/timeline.csv"))
    assert [(r["reference"], r["start_text"], r["end"]) for r in timeline] == [
        (world.a.reference, "Q3 2017", "2019-09-30")
    ]


def test_an_unknown_figure_is_not_found_and_other_roles_are_refused(as_user, world, make):
    assert as_user(world.admin).get("/portfolio/secrets.csv").status_code == 404
    beneficiary = as_user(make.user("beneficiary"))
    assert beneficiary.get("/portfolio").status_code == 403
    assert beneficiary.get("/portfolio/stages.csv").status_code == 403


def test_the_page_shows_the_timeline_a_page_of_bars_at_a_time_and_the_csv_all(
    as_user, world, monkeypatch
):
    from twinflow.portfolio import figures

    monkeypatch.setattr(figures, "TIMELINE_PAGE", 1)  # two bars: two pages
    browser = as_user(world.admin)
    first, second = browser.text("/portfolio"), browser.text("/portfolio?page=2")
    assert world.a.reference in first and world.b.reference not in first
    assert world.b.reference in second and world.a.reference not in second
    assert "Page 1 of 2" in first and 'rel="next"' in first
    # Past the end: the last page; the other figures are the same on every page.
    assert world.b.reference in browser.text("/portfolio?page=9")

    # (The sign-out form's CSRF token carries the second it was signed in: not compared.)
    def figures_of(page):
        return re.sub(r'name="csrf_token"[^>]*', "", page.split('id="h-timeline"')[0])

    assert figures_of(first) == figures_of(second)
    timeline = rows_of(browser.get("/portfolio/timeline.csv"))
    assert [r["reference"] for r in timeline] == [world.a.reference, world.b.reference]
