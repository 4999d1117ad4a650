"""An HTTP client that signs in as any user of the cast, and the cast itself."""

import pytest

from tests.factories import PASSWORD, Cast

API = "/api/v1"


class ApiClient:
    """client.as_(user).post("/projects", json=...) -> response; tokens are fetched once."""

    def __init__(self, client):
        self.client = client
        self._tokens: dict[int, str] = {}
        self._user = None

    def token(self, user) -> str:
        if user.id not in self._tokens:
            response = self.client.post(
                f"{API}/auth/token", json={"email": user.email, "password": PASSWORD}
            )
            assert response.status_code == 200, response.json
            self._tokens[user.id] = response.json["token"]
        return self._tokens[user.id]

    def as_(self, user):
        other = ApiClient(self.client)
        other._tokens, other._user = self._tokens, user
        return other

    def request(self, method: str, path: str, headers: dict | None = None, **kwargs):
        headers = dict(headers or {})
        if self._user is not None:
            headers.setdefault("Authorization", f"Bearer {self.token(self._user)}")
        return self.client.open(f"{API}{path}", method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def api(app):
    # Lifecycle tests move the clock by months; token expiry has its own tests.
    app.config["API_TOKEN_HOURS"] = 24 * 365 * 5
    return ApiClient(app.test_client())


@pytest.fixture
def cast(make):
    return Cast(make)


def error_of(response) -> dict:
    """The one error shape every refusal has."""
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    return body["error"]
