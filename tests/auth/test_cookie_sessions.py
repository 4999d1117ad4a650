"""The session cookie's signing serializer is made once per set of keys (auth/sessions.py), not
per request: a changed secret key must still be honoured at once, as Flask's own would."""

from tests.web.conftest import Browser


def _session_cookie_opens_the_dashboard(app, cookie: str) -> bool:
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client.get("/").status_code == 200


def test_a_session_cookie_follows_the_secret_key_as_it_is_rotated(app, make):
    browser = Browser(app).sign_in(make.user("coordinator"))
    cookie = browser.client.get_cookie("session").value
    assert _session_cookie_opens_the_dashboard(app, cookie)

    # Rotated with the old key kept as a fallback: the cookie still signs the user in.
    old = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "a new secret key of the deployment, 32+ chars"
    app.config["SECRET_KEY_FALLBACKS"] = [old]
    assert _session_cookie_opens_the_dashboard(app, cookie)

    # The old key dropped: the cookie is no one's any more.
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert not _session_cookie_opens_the_dashboard(app, cookie)
