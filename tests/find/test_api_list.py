"""GET /api/v1/projects: search, filters, sort and paging over what the caller may see."""

import pytest

from tests.api.conftest import ApiClient, error_of


@pytest.fixture
def api(app):
    return ApiClient(app.test_client())


def refs(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [p["reference"] for p in response.json]


def test_a_reference_typed_without_spaces_finds_the_reference_as_written(api, portfolio):
    client = api.as_(portfolio.cast.coordinator)
    assert refs(client.get("/projects?q=MD16ENIAG0119")) == ["MD 16 ENI AG 01 19"]
    assert refs(client.get("/projects?q=az-15-enp-en-43")) == ["AZ/15/ENP/EN/43"]
    assert refs(client.get("/projects?q=UA 47B")) == ["UA/47b"]


def test_search_finds_beneficiary_and_member_state_institutions_and_member_states(api, portfolio):
    client = api.as_(portfolio.cast.coordinator)
    assert refs(client.get("/projects?q=geostat")) == ["GE 16 ENI ST 06 18"]
    # The live project's selected partner is the French administration (its organisation).
    assert refs(client.get("/projects?q=administration")) == [portfolio.live.reference]
    # Lithuania is a junior of one record only; by name or by code.
    assert refs(client.get("/projects?q=lithuania")) == ["MD 16 ENI AG 01 19"]
    assert refs(client.get("/projects?q=LT food")) == ["MD 16 ENI AG 01 19"]


def test_every_filter_narrows_the_list(api, portfolio):
    client = api.as_(portfolio.cast.coordinator)
    assert refs(client.get("/projects?type=twinning_light")) == ["UA/47b"]
    assert set(refs(client.get("/projects?instrument=ENPI"))) == {"AZ/15/ENP/EN/43", "UA/47b"}
    assert refs(client.get("/projects?country=md")) == ["MD 16 ENI AG 01 19"]
    assert refs(client.get("/projects?sector=ST")) == ["GE 16 ENI ST 06 18"]
    assert refs(client.get("/projects?state=fiche_drafting&country=GE")) == ["GE 21 NDICI JH 02 23"]
    # The lead of an imported record and the selected lead of a live project alike.
    assert set(refs(client.get("/projects?member_state=FR"))) == {
        portfolio.live.reference,
        "MD 16 ENI AG 01 19",
    }
    assert refs(client.get("/projects?member_state=NL")) == ["GE 16 ENI ST 06 18"]  # junior


def test_a_year_range_counts_partial_dates_by_their_year(api, portfolio):
    client = api.as_(portfolio.cast.coordinator)
    # 2016 (a year), 2017-Q3 (a quarter), 2018-09 (a month), 2023-01-15 (a day)
    assert refs(client.get("/projects?year_from=2017&year_to=2017")) == ["MD 16 ENI AG 01 19"]
    assert refs(client.get("/projects?year_from=2016&year_to=2018&sort=start")) == [
        "AZ/15/ENP/EN/43",
        "MD 16 ENI AG 01 19",
        "GE 16 ENI ST 06 18",
    ]
    assert refs(client.get("/projects?year_to=2015")) == []
    assert refs(client.get("/projects?year_from=2019&year_to=2018")) == []


def test_sorting_by_start_descending_puts_projects_without_a_start_last(api, portfolio):
    client = api.as_(portfolio.cast.coordinator)
    listed = refs(client.get("/projects?sort=-start&per_page=100"))
    assert listed[0] == portfolio.live.reference  # started in implementation, latest
    assert listed[1:5] == [
        "GE 21 NDICI JH 02 23",
        "GE 16 ENI ST 06 18",
        "MD 16 ENI AG 01 19",
        "AZ/15/ENP/EN/43",
    ]
    assert "UA/47b" in listed[5:]  # no start stated
    ascending = refs(client.get("/projects?sort=start&per_page=100"))
    assert ascending[:4] == ["AZ/15/ENP/EN/43", "MD 16 ENI AG 01 19", "GE 16 ENI ST 06 18",
                             "GE 21 NDICI JH 02 23"]  # fmt: skip
    assert ascending[-1] != "AZ/15/ENP/EN/43" and "UA/47b" in ascending[5:]


def test_sorting_by_budget_title_and_reference(api, portfolio):
    client = api.as_(portfolio.cast.coordinator)
    by_budget = refs(client.get("/projects?sort=-budget&per_page=100"))
    # 1,500,000 each: the tie is broken by the id, the same way on every page.
    assert by_budget[:2] == ["GE 16 ENI ST 06 18", portfolio.live.reference]
    assert by_budget[-1] == "AZ/15/ENP/EN/43"  # no budget stated: last
    titles = [p["title"] for p in client.get("/projects?sort=title&per_page=100").json]
    assert titles == sorted(titles, key=str.lower)
    by_reference = refs(client.get("/projects?sort=-reference&per_page=100"))
    assert by_reference[0] == "UA/47b" and by_reference[-1] == "AZ/15/ENP/EN/43"


def test_pages_carry_totals_and_links(api, portfolio):
    client = api.as_(portfolio.cast.coordinator)
    first = client.get("/projects?sort=reference&per_page=4")
    assert first.headers["X-Total-Count"] == "6"
    assert 'rel="next"' in first.headers["Link"] and "page=2" in first.headers["Link"]
    assert "sort=reference" in first.headers["Link"]  # the links keep the query
    second = client.get("/projects?sort=reference&per_page=4&page=2")
    assert 'rel="next"' not in second.headers["Link"]
    seen = refs(first) + refs(second)
    assert len(refs(second)) == 2 and len(set(seen)) == 6


def test_a_coordinator_of_another_delegation_finds_only_its_countries(api, portfolio):
    client = api.as_(portfolio.georgia)
    assert refs(client.get("/projects?q=MD16ENIAG0119")) == []
    assert refs(client.get("/projects?member_state=FR")) == [portfolio.live.reference]
    assert set(refs(client.get("/projects?per_page=100"))) == {
        portfolio.live.reference,
        "GE 16 ENI ST 06 18",
        "GE 21 NDICI JH 02 23",
    }


def test_unknown_filter_values_are_refused_naming_the_field(api, portfolio):
    answer = api.as_(portfolio.cast.coordinator).get(
        "/projects?instrument=EDF&member_state=QQ&sort=colour&year_from=1800"
    )
    assert answer.status_code == 422
    assert set(error_of(answer)["details"]) == {"instrument", "member_state", "sort", "year_from"}
