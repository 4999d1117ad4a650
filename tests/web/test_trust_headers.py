"""Headers for signed-in users and production, and searches that take % and _ literally."""

import pytest

from config import TestingConfig
from tests.factories import PASSWORD
from twinflow import create_app


@pytest.fixture
def production_app(db_url):
    # Production refuses to start without an audit key (the sealed chain): give it the suite's.
    app = create_app(
        "production",
        SQLALCHEMY_DATABASE_URI=db_url,
        SECRET_KEY="k" * 32,
        AUDIT_KEY=TestingConfig.AUDIT_KEY,
    )
    yield app
    with app.app_context():
        from twinflow.extensions import db

        db.engine.dispose()


def test_production_answers_carry_strict_transport_security(production_app):
    answer = production_app.test_client().get("/login")
    assert answer.headers["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.parametrize("env", ["testing", "development"])
def test_plain_http_environments_send_no_strict_transport_security(db_url, env):
    app = create_app(env, SQLALCHEMY_DATABASE_URI=db_url)
    assert "Strict-Transport-Security" not in app.test_client().get("/login").headers
    with app.app_context():
        from twinflow.extensions import db

        db.engine.dispose()


def test_pages_for_a_signed_in_user_are_never_stored_by_caches(make, as_user):
    b = as_user(make.user("coordinator"))
    for path in ("/", "/projects", "/account/password", "/no-such-page"):
        assert b.get(path).headers.get("Cache-Control") == "no-store", path


def test_api_answers_with_a_token_are_never_stored_by_caches(app, make):
    user, client = make.user("coordinator"), app.test_client()
    body = {"email": user.email, "password": PASSWORD}
    token = client.post("/api/v1/auth/token", json=body)
    assert token.headers.get("Cache-Control") == "no-store"  # it holds the secret
    headers = {"Authorization": f"Bearer {token.json['token']}"}
    assert client.get("/api/v1/projects", headers=headers).headers["Cache-Control"] == "no-store"


def test_static_assets_keep_their_caching_for_signed_in_users(make, as_user):
    b = as_user(make.user("coordinator"))
    with b.get("/assets/app.css") as answer:
        assert answer.status_code == 200
        assert "no-store" not in answer.headers.get("Cache-Control", "")


def test_a_percent_sign_in_the_project_search_matches_only_itself(make, as_user):
    coordinator = make.user("coordinator")
    make.project(coordinator, title="Customs reform with 100% digital declarations")
    make.project(coordinator, title="Strengthening the penitentiary system")
    page = as_user(coordinator).text("/projects?q=%25")
    assert "100% digital declarations" in page
    assert "Strengthening the penitentiary system" not in page


def test_an_underscore_in_the_user_search_matches_only_itself(make, as_user):
    admin = as_user(make.user("admin"))
    make.user("coordinator", email="anna_berg@example.eu")
    make.user("coordinator", email="annaxberg@example.eu")
    page = admin.text("/admin/users?q=anna_berg")
    assert "anna_berg@example.eu" in page and "annaxberg@example.eu" not in page


def test_a_percent_sign_in_the_audit_actor_filter_matches_only_itself(make, as_user):
    admin = as_user(make.user("admin"))
    for email in ("a%b@example.eu", "axb@example.eu"):
        make.project(make.user("coordinator", email=email), title=f"Project of {email}")
    page = admin.text("/admin/audit?actor=%25")
    assert "a%b@example.eu" in page
    assert "axb@example.eu" not in page
