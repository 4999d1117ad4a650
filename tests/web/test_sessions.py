"""Ending sessions: sign-out, a password change, a password reset and deactivation each end
every session cookie, remember-me cookie and API token the user had; replaying any of them
afterwards signs no one in."""

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD
from tests.web.conftest import Browser
from twinflow.audit.models import AuditEvent

NEW_PASSWORD = "quiet lantern meadow 42"
EVENTS = ["sign_out", "password_change", "password_reset", "deactivation"]


class Credentials:
    """Everything a thief could have copied from a signed-in user: the browser's session
    cookie, its remember-me cookie, and an API token."""

    def __init__(self, app, browser: Browser):
        self.app = app
        self.session = browser.client.get_cookie("session").value
        self.remember = browser.client.get_cookie("remember_token").value

    def with_token(self, token):
        self.token = token
        return self

    def replay(self, kind: str) -> int:
        """The status of a request that carries only that one copied credential."""
        client = self.app.test_client()
        if kind == "bearer_token":
            headers = {"Authorization": f"Bearer {self.token}"}
            return client.get("/api/v1/projects", headers=headers).status_code
        client.set_cookie(
            "session" if kind == "session_cookie" else "remember_token",
            getattr(self, "session" if kind == "session_cookie" else "remember"),
        )
        return client.get("/").status_code


def _token(app, user, password=PASSWORD):
    answer = app.test_client().post(
        "/api/v1/auth/token", json={"email": user.email, "password": password}
    )
    assert answer.status_code == 200, answer.json
    return answer.json["token"]


def _end_sessions(event, make, user, victim: Browser, as_user):
    if event == "sign_out":
        assert victim.post("/logout").status_code == 302
    elif event == "password_change":
        form = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        answer = victim.post("/account/password", form | {"confirm": NEW_PASSWORD})
        assert answer.status_code == 302, answer.get_data(as_text=True)[:800]
    elif event == "password_reset":
        admin = as_user(make.user("admin"))
        answer = admin.post(f"/admin/users/{user.id}/password", {"password": NEW_PASSWORD})
        assert answer.status_code == 302
    else:
        admin = as_user(make.user("admin"))
        assert (
            admin.post(
                f"/admin/users/{user.id}/active", {"active": "0", "confirm": "yes"}
            ).status_code
            == 302
        )
        # Reactivating the account must not bring the old sessions back.
        assert admin.post(f"/admin/users/{user.id}/active", {"active": "1"}).status_code == 302


@pytest.mark.parametrize("credential", ["session_cookie", "remember_cookie", "bearer_token"])
@pytest.mark.parametrize("event", EVENTS)
def test_no_copied_credential_works_after_the_users_sessions_end(
    app, make, browser, as_user, event, credential
):
    user = make.user("coordinator")
    victim = browser().sign_in(user, remember="y")
    copied = Credentials(app, victim).with_token(_token(app, user))
    assert copied.replay(credential) == 200  # the copy works while the session lives

    _end_sessions(event, make, user, victim, as_user)

    # A browser page sends the thief to sign-in; the API refuses the token.
    assert copied.replay(credential) == (401 if credential == "bearer_token" else 302)


def test_signing_out_deletes_the_remember_me_cookie_in_the_browser(make, browser):
    b = browser().sign_in(make.user("coordinator"), remember="y")
    assert b.client.get_cookie("remember_token") is not None
    b.post("/logout")
    assert b.client.get_cookie("remember_token") is None
    assert b.get("/").status_code == 302


def test_signing_out_in_one_browser_signs_the_user_out_in_the_others(make, browser):
    user = make.user("beneficiary")
    office, home = browser().sign_in(user), browser().sign_in(user)
    office.post("/logout")
    assert home.get("/").status_code == 302


def test_changing_ones_password_keeps_this_browser_signed_in_and_ends_the_others(
    app, make, browser, session
):
    user = make.user("member_state")
    here, elsewhere = browser().sign_in(user, remember="y"), browser().sign_in(user)
    token = _token(app, user)
    form = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    answer = here.post("/account/password", form, token_from="/account/password")
    assert answer.status_code == 302
    assert "signed out everywhere else" in here.text("/")
    assert elsewhere.get("/").status_code == 302
    headers = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/projects", headers=headers).status_code == 401
    # This browser's renewed remember-me cookie keeps working on its own.
    alone = app.test_client()
    alone.set_cookie("remember_token", here.client.get_cookie("remember_token").value)
    assert alone.get("/").status_code == 200
    browser().sign_in(user, password=NEW_PASSWORD)
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-1] == "user_password_changed"


def test_a_password_change_needs_the_current_password_and_changes_nothing_without_it(
    app, make, browser
):
    user = make.user("coordinator")
    b = browser().sign_in(user)
    form = {"current_password": "not my password", "new_password": NEW_PASSWORD}
    answer = b.post("/account/password", form | {"confirm": NEW_PASSWORD})
    assert answer.status_code == 422
    assert "is not your current password" in answer.get_data(as_text=True)
    assert b.get("/").status_code == 200  # still signed in, nothing ended
    browser().sign_in(user, password=PASSWORD)


@pytest.mark.parametrize(
    ("weak", "reason"),
    [("aaaaaaaaaa", 'Repeats like "aaa" are easy to guess.'), ("password12", "very common")],
)
def test_a_weak_new_password_is_refused_with_the_reason(make, browser, weak, reason):
    user = make.user("coordinator")
    b = browser().sign_in(user)
    form = {"current_password": PASSWORD, "new_password": weak, "confirm": weak}
    answer = b.post("/account/password", form)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "too easy to guess" in page and reason in page.replace("&#34;", '"')
    browser().sign_in(user, password=PASSWORD)


def test_the_change_password_page_is_for_signed_in_users_only(browser):
    answer = browser().get("/account/password")
    assert answer.status_code == 302 and "/login" in answer.location
