"""Dates, times, amounts and country names read as the reader's language writes them: French
from Babel's CLDR data, English exactly as the pages always wrote them, the API in English."""

import re
from datetime import UTC, date, datetime

import pytest

pytestmark = pytest.mark.usefixtures("backend")

# French groups thousands with a narrow no-break space and puts € after a no-break space.
NNBSP, NBSP = "\u202f", "\u00a0"


def _open_call_with_known_figures(cast, session):
    """A project in call: its deadline, budget and stated dates set to known values."""
    project = cast.to("call_open")
    project.proposal_deadline = datetime(2027, 12, 1, 14, 5, tzinfo=UTC)
    project.budget_eur = 1_500_000
    project.start_on, project.start_precision = date(2019, 3, 1), "month"
    project.end_on, project.end_precision = date(2021, 7, 1), "quarter"
    session.commit()
    return project


def _in_french(b):
    answer = b.post("/language", {"language": "fr", "next": "/"})
    assert answer.status_code == 302
    return b


def test_a_french_member_state_user_sees_the_calls_deadline_and_country_in_french(
    cast, session, as_user
):
    _open_call_with_known_figures(cast, session)
    page = _in_french(as_user(cast.germany)).text("/")
    calls = page.split('data-testid="open-calls"')[1].split("</table>")[0]
    assert "01 déc. 2027 14:05 UTC" in calls
    assert "Géorgie" in calls and "Georgia" not in calls
    assert "Appels à propositions ouverts" in page and "Rédiger une proposition" in page


def test_an_english_member_state_user_sees_the_calls_deadline_as_before(cast, session, as_user):
    _open_call_with_known_figures(cast, session)
    page = as_user(cast.germany).text("/")
    calls = page.split('data-testid="open-calls"')[1].split("</table>")[0]
    assert "01 Dec 2027 14:05 UTC" in calls and "Georgia" in calls
    assert "Open calls for proposals" in page and "Write a proposal" in page


def test_a_french_user_sees_the_budget_and_the_stated_dates_in_french_on_the_project_page(
    cast, session, as_user
):
    project = _open_call_with_known_figures(cast, session)
    page = _in_french(as_user(cast.coordinator)).text(f"/projects/{project.id}")
    assert f"1{NNBSP}500{NNBSP}000{NBSP}€" in page and "EUR 1,500,000" not in page
    assert "mars 2019 – T3 2021" in page


def test_an_english_user_sees_the_budget_and_the_stated_dates_as_before(cast, session, as_user):
    project = _open_call_with_known_figures(cast, session)
    page = as_user(cast.coordinator).text(f"/projects/{project.id}")
    assert "EUR 1,500,000" in page and "Mar 2019 – Q3 2021" in page


def test_the_dashboards_deadlines_say_when_they_are_due_in_french(cast, as_user):
    cast.to("call_open")
    page = _in_french(as_user(cast.coordinator)).text("/")
    deadlines = page.split('aria-labelledby="dl-h"')[1].split("</section>")[0]
    due = re.findall(r"À rendre le <time datetime=\"[^\"]+\">([^<]+)</time>", deadlines)
    assert due, deadlines
    english = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
    assert all(re.fullmatch(rf"\d\d (?!{english})\S+ \d{{4}}", when) for when in due), due


def test_a_french_coordinator_reads_the_reference_countries_and_the_portfolio_in_french(
    cast, as_user
):
    b = _in_french(as_user(cast.coordinator))
    reference = b.text("/admin/reference")
    countries = reference.split('data-testid="reference-countries"')[1].split("</table>")[0]
    assert "Grèce" in countries and "Royaume-Uni" in countries and "Greece" not in countries
    assert "Pays" in reference and "Domaines prioritaires et sous-secteurs" in reference
    portfolio = b.text("/portfolio")
    assert "Projets par étape" in portfolio and "Télécharger au format CSV" in portfolio
    assert '"locale": "fr"' in portfolio  # the chart's month names, by the browser


def test_an_error_page_reads_in_french_without_werkzeugs_english_sentence(cast, as_user):
    b = _in_french(as_user(cast.beneficiary))
    answer = b.get("/no-such-page")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 404
    assert "Erreur 404" in page and "Introuvable" in page
    assert "The requested URL was not found" not in page
    assert "The requested URL was not found" in as_user(cast.coordinator).get("/nowhere").get_data(
        as_text=True
    )
