"""CSV and XLSX exports of a filtered list, from the web and the API: every matching project
(all pages), labels in words, the reference as stated, and only what the user may see."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.api.conftest import ApiClient

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def api(app):
    return ApiClient(app.test_client())


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv"
    assert response.is_streamed  # a generator, not a body built in memory
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == XLSX
    assert "attachment" in response.headers["Content-Disposition"]
    with response:  # closing the response closes (and removes) the temporary file
        book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    header, *rows = [list(r) for r in book["Projects"].iter_rows(values_only=True)]
    book.close()
    return [dict(zip(header, r, strict=True)) for r in rows]


def test_the_web_csv_export_holds_the_filtered_list_in_words(as_user, portfolio):
    response = as_user(portfolio.cast.coordinator).get(
        "/projects/export.csv?instrument=ENI&sort=start&dir=asc&page=2"
    )
    rows = csv_rows(response)
    assert [r["Reference"] for r in rows] == [
        "MD 16 ENI AG 01 19",
        "GE 16 ENI ST 06 18",
        portfolio.live.reference,
    ]  # every page, in the list's order
    md = rows[0]
    assert md["Beneficiary country"] == "Moldova"
    assert md["Type"] == "Twinning" and md["Sector"] == "Agriculture" and md["State"] == "Closed"
    assert md["Lead Member State"] == "France"
    assert md["Junior Member States"] == "Lithuania, Romania"
    assert (md["Start"], md["End"]) == ("Q3 2017", "2019")
    assert md["Budget (EUR)"] == "1200000.00"


def test_the_web_xlsx_export_reads_back_with_openpyxl(as_user, portfolio):
    response = as_user(portfolio.cast.coordinator).get("/projects/export.xlsx?q=geostat")
    (row,) = xlsx_rows(response)
    assert row["Reference"] == "GE 16 ENI ST 06 18"
    assert row["Instrument"] == "European Neighbourhood Instrument"
    assert row["Start"] == "Sep 2018" and row["End"] == "Q2 2020"
    assert row["Budget (EUR)"] == 1500000  # a number the spreadsheet can add up
    assert row["Junior Member States"] == "Finland, Netherlands"


def test_the_api_exports_the_same_list_as_csv_and_xlsx(api, portfolio):
    client = api.as_(portfolio.cast.coordinator)
    listed = [p["reference"] for p in client.get("/projects?member_state=FR&sort=reference").json]
    as_csv = [r["Reference"] for r in csv_rows(
        client.get("/projects/export?member_state=FR&sort=reference"))]  # fmt: skip
    as_xlsx = [r["Reference"] for r in xlsx_rows(
        client.get("/projects/export?member_state=FR&sort=reference&format=xlsx"))]  # fmt: skip
    assert listed == as_csv == as_xlsx == [portfolio.live.reference, "MD 16 ENI AG 01 19"]


def test_exports_keep_to_what_the_user_may_see(api, as_user, portfolio):
    web = csv_rows(as_user(portfolio.georgia).get("/projects/export.csv"))
    assert {r["Reference"] for r in web} == {
        portfolio.live.reference,
        "GE 16 ENI ST 06 18",
        "GE 21 NDICI JH 02 23",
    }
    answer = api.as_(portfolio.georgia).get("/projects/export?format=xlsx&q=MD16ENIAG0119")
    assert xlsx_rows(answer) == []
    assert api.get("/projects/export").status_code == 401


def test_a_title_that_reads_as_a_formula_stays_text(as_user, make, portfolio):
    from twinflow.imports.operations import run_import_and_commit

    data = b"title,type,beneficiary_country,state\n=SUM(A1:A9) trainings,twinning,GE,closed\n"
    run_import_and_commit(make.session, make.engine, portfolio.cast.admin, data)
    b = as_user(portfolio.cast.coordinator)
    (row,) = csv_rows(b.get("/projects/export.csv?q=trainings"))
    assert row["Title"] == "'=SUM(A1:A9) trainings"
    with b.get("/projects/export.xlsx?q=trainings") as response:
        cell = load_workbook(io.BytesIO(response.get_data()))["Projects"]["B2"]
    assert cell.data_type == "s" and cell.value == "=SUM(A1:A9) trainings"
