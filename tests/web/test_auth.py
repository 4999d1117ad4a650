from datetime import timedelta

import pytest

from config import ProductionConfig
from tests.factories import PASSWORD


def test_signing_in_leads_to_the_dashboard_and_signing_out_back_to_sign_in(make, browser):
    user = make.user("coordinator")
    b = browser().sign_in(user)
    assert "Good day" in b.text("/")
    response = b.post("/logout")
    assert response.status_code == 302 and response.location.endswith("/login")
    assert b.get("/").status_code == 302


@pytest.mark.parametrize("email", ["known", "unknown"])
def test_a_wrong_password_and_an_unknown_address_get_the_same_generic_message(make, browser, email):
    user = make.user("coordinator")
    b = browser()
    address = user.email if email == "known" else "nobody@example.eu"
    response = b.client.post(
        "/login", data={"email": address, "password": "wrong password", "csrf_token": b.token()}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "The e-mail address or password is not correct." in page
    assert b.get("/").status_code == 302  # still signed out


def test_a_deactivated_user_cannot_sign_in(make, browser, session):
    user = make.user("coordinator")
    user.is_active = False
    session.commit()
    b = browser()
    response = b.client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": b.token()}
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "http:/evil", "javascript:x"],
)
def test_the_next_parameter_never_leads_off_site(make, browser, target):
    user = make.user("coordinator")
    b = browser()
    response = b.client.post(
        "/login",
        query_string={"next": target},
        data={"email": user.email, "password": PASSWORD, "csrf_token": b.token()},
    )
    assert response.status_code == 302
    assert response.location == "/"


def test_the_next_parameter_returns_to_the_page_asked_for(make, browser):
    user = make.user("coordinator")
    b = browser()
    first = b.get("/projects?state=call_open")
    assert first.status_code == 302 and "next=" in first.location
    response = b.client.post(
        first.location,
        data={"email": user.email, "password": PASSWORD, "csrf_token": b.token()},
    )
    assert response.location == "/projects?state=call_open"


def test_the_remember_me_cookie_is_http_only_same_site_and_bounded(make, browser, app, clock):
    user = make.user("coordinator")
    b = browser()
    b.sign_in(user, remember="y")
    cookie = b.client.get_cookie("remember_token")
    assert cookie is not None
    assert cookie.http_only and cookie.same_site == "Lax"
    assert cookie.expires is not None
    # Flask-Login's default is a year; ours is two weeks.
    assert app.config["REMEMBER_COOKIE_DURATION"] <= timedelta(days=14).total_seconds()
    assert ProductionConfig.REMEMBER_COOKIE_SECURE and ProductionConfig.SESSION_COOKIE_SECURE


def test_a_deactivated_users_open_session_ends_at_the_next_request(make, browser, as_user):
    admin, user = make.user("admin"), make.user("coordinator")
    b = as_user(user)
    assert b.get("/").status_code == 200
    response = as_user(admin).post(
        f"/admin/users/{user.id}/active", {"active": "0", "confirm": "yes"}
    )
    assert response.status_code == 302
    assert b.get("/").status_code == 302
