"""Bearer tokens: issued once, stored hashed, expiring, revocable; no cookies, no CSRF."""

import hashlib
from datetime import timedelta

from sqlalchemy import select

from tests.api.conftest import error_of
from tests.factories import PASSWORD
from twinflow.auth.models import ApiToken


def _sign_in(client, user, password=PASSWORD):
    return client.post("/api/v1/auth/token", json={"email": user.email, "password": password})


def test_a_token_is_given_for_the_right_password_and_stored_only_as_its_hash(app, cast, session):
    answer = _sign_in(app.test_client(), cast.beneficiary)
    assert answer.status_code == 200
    assert set(answer.json) == {"token", "token_type", "expires_at"}
    stored = session.scalars(select(ApiToken.token_hash)).all()
    assert hashlib.sha256(answer.json["token"].encode()).hexdigest() in stored
    assert answer.json["token"] not in stored


def test_a_wrong_password_and_an_unknown_email_get_the_same_401(app, cast):
    client = app.test_client()
    wrong = _sign_in(client, cast.beneficiary, password="not the password")
    unknown = client.post(
        "/api/v1/auth/token", json={"email": "nobody@example.eu", "password": PASSWORD}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert error_of(wrong)["message"] == error_of(unknown)["message"]


def test_calls_without_a_valid_token_are_refused_with_401(api, cast):
    for headers in ({}, {"Authorization": "Bearer tf_made_up"}, {"Authorization": "Basic eDp5"}):
        answer = api.get("/projects", headers=headers)
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
        assert error_of(answer)["code"] == "unauthorized"


def test_a_revoked_token_stops_working_at_once(api, cast):
    client = api.as_(cast.coordinator)
    assert client.get("/projects").status_code == 200
    assert client.delete("/auth/token").status_code == 204
    assert client.get("/projects").status_code == 401


def test_a_token_expires_after_the_configured_hours(app, cast, clock):
    app.config["API_TOKEN_HOURS"] = 12
    client = app.test_client()
    token = _sign_in(client, cast.coordinator).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    clock.advance(hours=11, minutes=59)
    assert client.get("/api/v1/projects", headers=headers).status_code == 200
    clock.advance(minutes=1)
    assert client.get("/api/v1/projects", headers=headers).status_code == 401


def test_a_disabled_users_tokens_stop_working(api, cast, make, session):
    client = api.as_(cast.coordinator)
    assert client.get("/projects").status_code == 200
    cast.coordinator.is_active = False
    session.commit()
    assert client.get("/projects").status_code == 401
    assert _sign_in(api.client, cast.coordinator).status_code == 401


def test_bearer_calls_need_no_csrf_token_and_set_no_cookie(app, api, cast):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    body = {"trigger": "submit_fiche"}
    answer = api.as_(cast.beneficiary).post(f"/projects/{cast.project.id}/transitions", json=body)
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers


def test_a_browser_session_cookie_does_not_authenticate_the_api(app, cast):
    client = app.test_client()
    with client.session_transaction() as cookie_session:
        # What Flask-Login stores for a signed-in browser.
        cookie_session["_user_id"] = cast.coordinator.get_id()
        cookie_session["_fresh"] = True
    assert client.get("/api/v1/projects").status_code == 401
    assert client.post("/api/v1/projects", json={}).status_code == 401


def test_tokens_are_valid_for_the_configured_time(app, cast, clock):
    app.config["API_TOKEN_HOURS"] = 12
    answer = _sign_in(app.test_client(), cast.admin)
    expires = answer.json["expires_at"]
    assert expires.startswith((clock.now() + timedelta(hours=12)).isoformat()[:19])
