"""POST /api/v1/imports: administrators only; a dry run first, then all or nothing; the report
names row, column, value and reason; a project's API view keeps what the source stated."""

import io

import pytest
from sqlalchemy import func, select

from tests.api.conftest import ApiClient, error_of
from tests.imports.conftest import PORTFOLIO, csv_bytes, row
from twinflow.projects.models import Project


@pytest.fixture
def api(app):
    return ApiClient(app.test_client())


@pytest.fixture
def admin(make, session):
    user = make.user("admin")
    session.commit()
    return user


def _post(client, data: bytes, name="portfolio.csv", **query):
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(
        f"/imports?{params}",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _projects(session) -> int:
    return session.scalar(select(func.count(Project.id)))


def test_an_administrator_sees_the_dry_run_report_then_applies_it(api, admin, session):
    client = api.as_(admin)
    dry = _post(client, PORTFOLIO.read_bytes(), dry_run="true")
    assert dry.status_code == 200, dry.json
    assert dry.json["dry_run"] is True and dry.json["applied"] is False
    assert dry.json["counts"]["new"] == 30
    assert dry.json["rows"][0] == {
        "row": 2,
        "status": "new",
        "title": "Strengthening the capacities of the National Statistics Office of Georgia",
        "reference": "GE 16 ENI ST 06 18",
        "project_id": None,
    }
    assert _projects(session) == 0

    applied = _post(client, PORTFOLIO.read_bytes())
    assert applied.status_code == 200, applied.json
    assert applied.json["applied"] is True and applied.json["counts"]["created"] == 30
    assert _projects(session) == 30

    again = _post(client, PORTFOLIO.read_bytes())
    assert again.json["counts"]["unchanged"] == 30 and again.json["counts"]["created"] == 0
    assert _projects(session) == 30


def test_a_refused_row_answers_422_with_the_report_and_writes_nothing(api, admin, session):
    data = csv_bytes([row(reference="OK 1"), row(reference="BAD 1", sector="statistics!")])
    response = _post(api.as_(admin), data)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "import_refused"
    assert error["details"]["errors"] == [
        {
            "row": 3,
            "column": "sector",
            "value": "statistics!",
            "reason": error["details"]["errors"][0]["reason"],
        }
    ]
    assert error["details"]["errors"][0]["reason"].startswith("is not a sector code")
    assert _projects(session) == 0


def test_skip_invalid_over_the_api_imports_the_valid_rows(api, admin, session):
    data = csv_bytes([row(reference="OK 1"), row(reference="BAD 1", start="someday")])
    response = _post(api.as_(admin), data, skip_invalid="true")
    assert response.status_code == 200, response.json
    assert (response.json["counts"]["created"], response.json["counts"]["skipped"]) == (1, 1)
    assert _projects(session) == 1


@pytest.mark.parametrize("role", ["coordinator", "beneficiary", "member_state"])
def test_only_administrators_may_import(api, make, session, role):
    user = make.user(role)
    session.commit()
    response = _post(api.as_(user), PORTFOLIO.read_bytes(), dry_run="true")
    assert response.status_code == 403
    assert _projects(session) == 0


def test_an_unreadable_file_is_a_clear_refusal_not_a_server_error(api, admin, session):
    for data, name, reason in [
        (b"PK\x03\x04 not really a workbook", "broken.xlsx", "not a readable XLSX workbook"),
        (b"\xff\xfe\x00garbage", "latin.csv", "must be UTF-8 text"),
        (b"", "empty.csv", "the file is empty"),
    ]:
        response = _post(api.as_(admin), data, name=name)
        assert response.status_code == 422, (name, response.json)
        errors = error_of(response)["details"]["errors"]
        assert errors[0]["row"] is None and reason in errors[0]["reason"], name
    assert _projects(session) == 0


def test_the_project_view_shows_dates_at_their_precision_and_the_partners(api, admin, session):
    assert _post(api.as_(admin), PORTFOLIO.read_bytes()).status_code == 200
    pid = session.scalar(select(Project.id).where(Project.reference == "GE 16 ENI ST 06 18"))
    project = api.as_(admin).get(f"/projects/{pid}").json
    assert project["reference"] == "GE 16 ENI ST 06 18"
    assert (project["start"], project["start_display"]) == ("2018-09", "Sep 2018")
    assert (project["end"], project["end_display"]) == ("2020-Q2", "Q2 2020")
    assert (project["implementation_months"], project["total_months"]) == (21, 24)
    assert project["lead_member_state"] == "SE"
    assert project["junior_member_states"] == ["FI", "NL"]
    assert project["status_note"] == "Completed; closing conference held in Tbilisi"
    assert project["imported_at"] is not None


def test_a_given_reference_is_kept_as_written_and_a_near_duplicate_is_refused(api, make, session):
    coordinator = make.user("coordinator")
    session.commit()
    body = dict(
        title="Statistics",
        workflow="twinning",
        sector="ST",
        instrument="ENI",
        budget_eur=1500000,
        implementation_months=24,
        beneficiary_country="GE",
        beneficiary_institution="Geostat",
    )
    created = api.as_(coordinator).post(
        "/projects", json=body | {"reference": "MD 16 ENI AG 01 19"}
    )
    assert created.status_code == 201, created.json
    assert created.json["reference"] == "MD 16 ENI AG 01 19"
    again = api.as_(coordinator).post("/projects", json=body | {"reference": "md16-eni-ag-01-19"})
    assert again.status_code == 422
    assert "already the reference of project" in error_of(again)["details"]["reference"][0]
    made = api.as_(coordinator).post("/projects", json=body)
    assert made.status_code == 201
    assert (
        made.json["reference"].startswith("GE ") and made.json["reference"] != "MD 16 ENI AG 01 19"
    )


@pytest.mark.parametrize("given", ["Implementation", "Mise en œuvre", "implementation"])
def test_a_state_is_recognised_by_its_name_or_its_label_in_either_language(
    api, admin, session, given
):
    """A portfolio kept by a French-speaking Delegation names states in French."""
    data = csv_bytes([row(state=given, reference="GE 19 ENI JH 01 19")])
    report = _post(api.as_(admin), data, dry_run="true")
    assert report.status_code == 200, report.json
    assert report.json["counts"]["new"] == 1, report.json["rows"]
