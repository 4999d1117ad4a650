"""The web project list and the public list: the same search, filters, sort and paging as
the API, through a GET form; the public list shows only public projects."""

import re

from twinflow.imports.operations import run_import_and_commit


def listed(page: str) -> list[str]:
    """The references of the projects on a list page, in order."""
    return re.findall(r'data-testid="ref">([^<]+)<', page)


def test_the_web_list_finds_a_reference_typed_without_spacing(as_user, portfolio):
    page = as_user(portfolio.cast.coordinator).text("/projects?q=MD16ENIAG0119")
    assert listed(page) == ["MD 16 ENI AG 01 19"]
    assert "1 project match" in page


def test_the_web_list_filters_by_instrument_member_state_and_years(as_user, portfolio):
    b = as_user(portfolio.cast.coordinator)
    assert listed(b.text("/projects?instrument=ENPI&type=twinning")) == ["AZ/15/ENP/EN/43"]
    assert listed(b.text("/projects?member_state=SE")) == ["GE 16 ENI ST 06 18"]
    years = b.text("/projects?year_from=2016&year_to=2017&sort=start&dir=asc")
    assert listed(years) == ["AZ/15/ENP/EN/43", "MD 16 ENI AG 01 19"]
    # Dates are shown at the precision the source gave.
    assert "Q3 2017" in years and ">2016<" in years


def test_the_web_list_sorts_by_end_with_the_unknown_last_and_pages(as_user, portfolio):
    b = as_user(portfolio.cast.coordinator)
    by_end = listed(b.text("/projects?sort=end&dir=desc"))
    assert by_end[:3] == [portfolio.live.reference, "GE 16 ENI ST 06 18", "MD 16 ENI AG 01 19"]
    assert set(by_end[-2:]) == {"UA/47b", "GE 21 NDICI JH 02 23"}  # no end stated


def test_a_filter_value_the_list_does_not_know_is_shown_with_its_reason(as_user, portfolio):
    response = as_user(portfolio.cast.coordinator).get("/projects?instrument=EDF&year_from=1")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Not a valid choice" in page and "Number must be between 1950 and 2100" in page


def test_a_delegation_finds_only_its_countries_in_the_web_list(as_user, portfolio):
    b = as_user(portfolio.georgia)
    assert listed(b.text("/projects?q=MD16ENIAG0119")) == []
    assert set(listed(b.text("/projects"))) == {
        portfolio.live.reference,
        "GE 16 ENI ST 06 18",
        "GE 21 NDICI JH 02 23",
    }


def test_the_public_list_searches_filters_and_sorts_public_projects_only(anyone, portfolio):
    everything = anyone.text("/public/projects?sort=reference&dir=asc")
    public = ["AZ/15/ENP/EN/43", "GE 16 ENI ST 06 18", portfolio.live.reference,
              "MD 16 ENI AG 01 19", "UA/47b"]  # fmt: skip
    assert listed(everything) == public  # the record in fiche drafting is not public
    assert listed(anyone.text("/public/projects?q=MD16ENIAG0119")) == ["MD 16 ENI AG 01 19"]
    assert listed(anyone.text("/public/projects?q=GE21NDICI")) == []
    drafts = anyone.get("/public/projects?state=fiche_drafting")  # no state of the public list
    assert drafts.status_code == 422 and "GE 21 NDICI" not in drafts.get_data(as_text=True)
    assert listed(anyone.text("/public/projects?country=GE&sector=ST")) == ["GE 16 ENI ST 06 18"]
    assert listed(anyone.text("/public/projects?year_from=2017&year_to=2018&sort=start")) == [
        "GE 16 ENI ST 06 18",
        "MD 16 ENI AG 01 19",
    ]


def test_the_public_list_pages_past_two_hundred_projects(anyone, make, portfolio):
    header = "reference,title,type,instrument,beneficiary_country,sector,start,state"
    rows = [f"PUB/{n:03d},Public record {n:03d},twinning,ENI,GE,JH,2015,closed" for n in range(200)]
    data = "\n".join([header, *rows]).encode()
    report = run_import_and_commit(make.session, make.engine, portfolio.cast.admin, data)
    assert report.applied, report
    last = anyone.text("/public/projects?sort=reference&dir=asc&page=9")
    assert "Page 9 of 9" in last and "205 projects match" in last
    assert listed(last) == ["PUB/196", "PUB/197", "PUB/198", "PUB/199", "UA/47b"]
