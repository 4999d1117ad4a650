"""Web fixtures: a test client that signs in through the real form, CSRF switched on."""

import re

import pytest

from tests.factories import PASSWORD, Cast

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """A Flask test client used like a browser: it reads the CSRF token from the pages."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()

    def get(self, path, **kwargs):
        return self.client.get(path, **kwargs)

    def token(self, path: str = "/login") -> str:
        page = self.client.get(path, follow_redirects=True).get_data(as_text=True)
        found = TOKEN.search(page)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def post(self, path, data=None, token_from: str | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(token_from or "/"))
        return self.client.post(path, data=data, **kwargs)

    def sign_in(self, user, password: str = PASSWORD, **extra):
        data = {"email": user.email, "password": password, "csrf_token": self.token("/login")}
        response = self.client.post("/login", data=data | extra)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return self

    def text(self, path) -> str:
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.get_data(as_text=True)


@pytest.fixture
def browser(app):
    return lambda: Browser(app)


@pytest.fixture
def as_user(app):
    """as_user(user) -> a Browser signed in as that user."""
    return lambda user: Browser(app).sign_in(user)


@pytest.fixture
def cast(make):
    return Cast(make)
