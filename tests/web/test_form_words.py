"""Form fixes a person notices: the defaults said, UTC said, a zero period's real reason, the
instrument in force for the country, an administrator's 403, the sign-in link on public pages,
the API docs' Bearer <token>."""

from tests.factories import Cast


def test_the_proposal_deadline_says_utc_and_its_default_of_eight_weeks(make, as_user):
    cast = Cast(make)
    make.fire(cast.beneficiary, cast.project, "submit_fiche")
    make.session.commit()
    page = as_user(cast.coordinator).text(f"/projects/{cast.project.id}")
    assert "Date and time in UTC, not your local time." in page
    assert "Leave empty for the default: 8 weeks from the day the call opens." in page


def test_a_period_of_zero_months_says_it_must_be_at_least_one(make, as_user):
    beneficiary = as_user(make.user("beneficiary"))
    response = beneficiary.post(
        "/projects/new",
        {
            "title": "Zero months",
            "workflow": "twinning",
            "sector": "JH",
            "instrument": "NDICI",
            "budget_eur": "1000000",
            "implementation_months": "0",
            "management_mode": "direct",
        },
        token_from="/projects/new",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "must be at least 1 month and at most 120" in page
    assert "This field is required." not in page


def test_a_georgian_beneficiary_gets_the_instrument_in_force_not_ipa(make, as_user):
    page = as_user(make.user("beneficiary", country="GE")).text("/projects/new")
    assert '<option selected value="NDICI">' in page


def test_an_administrators_403_does_not_send_them_to_an_administrator(make, as_user):
    admin = as_user(make.user("admin"))
    response = admin.get("/approvals")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Ask an administrator" not in page
    assert "the steps of a project are taken by its parties" in page


def test_a_public_page_has_a_sign_in_link(browser):
    page = browser().text("/public/projects")
    assert 'data-testid="sign-in-link">Sign in</a>' in page


def test_the_api_docs_show_bearer_token_in_a_code_span(browser):
    spec = browser().get("/api/v1/openapi.json").get_json()
    assert "`Authorization: Bearer <token>`" in spec["info"]["description"]
