"""Sign-in throttling: failed attempts per account and per client address, on the web form,
the token endpoint and the password change alike; 429 with Retry-After while locked;
lockouts audited; an administrator lifts them."""

import json

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD
from tests.web.conftest import Browser
from twinflow.audit.models import AuditEvent

API = "/api/v1/auth/token"


def _web(browser: Browser, email, password, address="192.0.2.10"):
    data = {"email": email, "password": password, "csrf_token": browser.token("/login")}
    return browser.client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})


def _api(client, email, password, address="192.0.2.10"):
    return client.post(
        API, json={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def _events(session, action) -> list[dict]:
    session.expire_all()
    rows = session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
    return [json.loads(e.data) | {"actor": e.actor_email} for e in rows]


def test_the_sixth_attempt_on_the_web_form_is_refused_with_429_even_with_the_right_password(
    app, make, browser
):
    user, b = make.user("coordinator"), browser()
    statuses = [_web(b, user.email, "wrong password").status_code for _ in range(5)]
    assert statuses == [401] * 5
    locked = _web(b, user.email, PASSWORD)
    assert locked.status_code == 429
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    page = locked.get_data(as_text=True)
    assert "Too many sign-in attempts" in page and "Try again in 15 minutes" in page
    assert b.get("/").status_code == 302  # not signed in


def test_the_token_endpoint_answers_429_in_the_api_error_shape_with_retry_after(app, make):
    user, client = make.user("coordinator"), app.test_client()
    assert [_api(client, user.email, "wrong").status_code for _ in range(5)] == [401] * 5
    locked = _api(client, user.email, PASSWORD)
    assert locked.status_code == 429
    assert set(locked.json) == {"error"}
    assert locked.json["error"]["code"] == "too_many_attempts"
    assert "Try again in" in locked.json["error"]["message"]
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60


def test_the_web_form_and_the_token_endpoint_count_against_the_same_account(app, make, browser):
    user, b, client = make.user("beneficiary"), browser(), app.test_client()
    assert [_web(b, user.email, "wrong").status_code for _ in range(3)] == [401] * 3
    assert [_api(client, user.email, "wrong").status_code for _ in range(2)] == [401] * 2
    assert _api(client, user.email, PASSWORD).status_code == 429
    assert _web(b, user.email, PASSWORD).status_code == 429


def test_an_unknown_address_is_locked_exactly_like_a_known_one(app, make):
    client = app.test_client()
    statuses = [_api(client, "nobody@example.eu", "wrong").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


def test_a_successful_sign_in_clears_the_accounts_failures(app, make):
    user, client = make.user("coordinator"), app.test_client()
    for _ in range(2):
        assert [_api(client, user.email, "wrong").status_code for _ in range(4)] == [401] * 4
        assert _api(client, user.email, PASSWORD).status_code == 200


def test_one_address_trying_many_accounts_is_locked_while_others_still_sign_in(app, make):
    app.config["SIGN_IN_ADDRESS_FAILURES"] = 8
    user, client = make.user("coordinator"), app.test_client()
    guesses = [_api(client, f"guess{n}@example.eu", "wrong").status_code for n in range(9)]
    assert guesses == [401] * 8 + [429]
    assert _api(client, user.email, PASSWORD).status_code == 429
    # The same account from another address is not locked: the account has no failures.
    assert _api(client, user.email, PASSWORD, address="198.51.100.7").status_code == 200


def test_a_lockout_is_one_audit_event_naming_the_account(app, make, session):
    user, client = make.user("coordinator"), app.test_client()
    for _ in range(8):
        _api(client, user.email.upper(), "wrong")
    locks = _events(session, "sign_in_locked")
    assert len(locks) == 1
    assert locks[0]["kind"] == "account" and locks[0]["email"] == user.email
    assert locks[0]["until"]


def test_wrong_current_passwords_on_the_change_page_count_too(app, make, browser, as_user):
    user = make.user("coordinator")
    b = as_user(user)
    form = {"current_password": "guess", "new_password": "quiet lantern meadow 42"}
    form["confirm"] = form["new_password"]
    answers = [b.post("/account/password", form).status_code for _ in range(6)]
    assert answers == [422] * 5 + [429]
    assert _api(app.test_client(), user.email, PASSWORD).status_code == 429


def test_an_administrator_sees_and_lifts_a_lockout_and_it_is_audited(app, make, as_user, session):
    admin_user, user, client = make.user("admin"), make.user("member_state"), app.test_client()
    for _ in range(5):
        _api(client, user.email, "wrong")
    assert _api(client, user.email, PASSWORD).status_code == 429
    admin = as_user(admin_user)
    page = admin.text("/admin/users/lockouts")
    assert user.email in page and "Lift the lock" in page
    answer = admin.post("/admin/users/lockouts", {"kind": "account", "value": user.email})
    assert answer.status_code == 302
    assert "No account or address is locked." in admin.text("/admin/users/lockouts")
    assert _api(client, user.email, PASSWORD).status_code == 200
    lifted = _events(session, "sign_in_unlocked")
    assert lifted == [{"kind": "account", "email": user.email, "actor": admin_user.email}]


def test_only_administrators_see_or_lift_lockouts(make, as_user):
    coordinator = as_user(make.user("coordinator"))
    assert coordinator.get("/admin/users/lockouts").status_code == 403
    lift = coordinator.post("/admin/users/lockouts", {"kind": "address", "value": "192.0.2.10"})
    assert lift.status_code == 403


@pytest.mark.parametrize("form", [{"kind": "both", "value": "x"}, {"kind": "account"}])
def test_lifting_an_unnamed_lock_is_refused_with_422(make, as_user, form):
    admin = as_user(make.user("admin"))
    assert admin.post("/admin/users/lockouts", form).status_code == 422
