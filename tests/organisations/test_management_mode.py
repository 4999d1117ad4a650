"""A project's management mode, from the fiche: direct (the EU Delegation contracts) by
default, or indirect with the beneficiary country's contracting authority named; set at
creation through the API and the web form, and shown on the project page."""

import pytest

from tests.api.conftest import error_of
from tests.web.conftest import Browser

BODY = {
    "title": "Public internal financial control",
    "workflow": "twinning",
    "sector": "FI",
    "instrument": "ENI",
    "budget_eur": 1_200_000,
    "implementation_months": 21,
}


@pytest.fixture
def cfcu(make):
    return make.organisation(
        "Central Finance and Contracts Unit of Armenia",
        kind="contracting_authority",
        country="AM",
        countries=["AM"],
    )


def test_a_project_is_under_direct_management_unless_the_fiche_says_otherwise(api, delegations):
    created = api.as_(delegations.cast.beneficiary).post("/projects", json=BODY)
    assert created.status_code == 201, created.json
    assert created.json["management_mode"] == "direct"
    assert created.json["contracting_authority_id"] is None


def test_an_indirect_management_project_names_its_contracting_authority(
    app, api, delegations, cfcu
):
    armenia = delegations.cast.other_beneficiary
    created = api.as_(armenia).post(
        "/projects",
        json=BODY | {"management_mode": "indirect", "contracting_authority_id": cfcu.id},
    )
    assert created.status_code == 201, created.json
    assert created.json["management_mode"] == "indirect"
    assert created.json["contracting_authority_id"] == cfcu.id
    page = Browser(app).sign_in(armenia).text(f"/projects/{created.json['id']}")
    assert "Indirect management: contracting authority Central Finance and Contracts Unit" in page


@pytest.mark.parametrize(
    ("extra", "field", "reason"),
    [
        ({"management_mode": "indirect"}, "contracting_authority_id", "is required"),
        (
            {"management_mode": "direct", "contracting_authority_id": "CFCU"},
            "contracting_authority_id",
            "Not a valid integer",
        ),
        ({"management_mode": "hybrid"}, "management_mode", "Must be one of"),
        (
            {"management_mode": "indirect", "contracting_authority_id": 2**40},
            "contracting_authority_id",
            "",
        ),
        (
            {"management_mode": "indirect", "contracting_authority_id": 987654},
            "contracting_authority_id",
            "no contracting authority",
        ),
    ],
)
def test_a_bad_management_mode_is_refused_naming_the_field(api, delegations, extra, field, reason):
    refused = api.as_(delegations.cast.other_beneficiary).post("/projects", json=BODY | extra)
    assert refused.status_code == 422, refused.json
    assert reason in " ".join(error_of(refused)["details"][field])
    assert api.as_(delegations.cast.other_beneficiary).get("/projects").json == []


def test_direct_management_names_no_contracting_authority(api, delegations, cfcu):
    refused = api.as_(delegations.cast.other_beneficiary).post(
        "/projects", json=BODY | {"contracting_authority_id": cfcu.id}
    )
    assert refused.status_code == 422
    assert (
        "only under indirect management"
        in error_of(refused)["details"]["contracting_authority_id"][0]
    )


def test_the_contracting_authority_is_the_beneficiary_countrys(api, delegations, cfcu):
    georgian = api.as_(delegations.cast.beneficiary).post(
        "/projects",
        json=BODY | {"management_mode": "indirect", "contracting_authority_id": cfcu.id},
    )
    assert georgian.status_code == 422
    assert error_of(georgian)["details"]["contracting_authority_id"] == [
        "Central Finance and Contracts Unit of Armenia is not the contracting authority of GE"
    ]
    delegation = api.as_(delegations.cast.other_beneficiary).post(
        "/projects",
        json=BODY
        | {"management_mode": "indirect", "contracting_authority_id": delegations.armenia.id},
    )
    assert delegation.status_code == 422


def test_the_web_form_sets_the_management_mode(app, delegations, cfcu):
    armenia = Browser(app).sign_in(delegations.cast.other_beneficiary)
    form = armenia.text("/projects/new")
    assert "Central Finance and Contracts Unit of Armenia (AM)" in form
    values = {
        "title": "Customs risk management",
        "workflow": "twinning",
        "sector": "FI",
        "instrument": "ENI",
        "budget_eur": "900000",
        "implementation_months": "18",
        "management_mode": "indirect",
    }
    missing = armenia.post("/projects/new", data=values, token_from="/projects/new")
    assert missing.status_code == 422
    assert "is required under indirect management" in missing.get_data(as_text=True)
    created = armenia.post(
        "/projects/new",
        data=values | {"contracting_authority_id": str(cfcu.id)},
        token_from="/projects/new",
    )
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    page = armenia.text(created.location)
    assert "Indirect management: contracting authority Central Finance" in page
