"""The calls' tests drive the API and the pages: the shared clients, and a cast whose
Member States have National Contact Points."""

import pytest

from tests.api.conftest import ApiClient
from tests.factories import Cast
from tests.web.conftest import Browser


@pytest.fixture
def api(app):
    app.config["API_TOKEN_HOURS"] = 24 * 365 * 5  # the tests move the clock by months
    return ApiClient(app.test_client())


@pytest.fixture
def as_user(app):
    return lambda user: Browser(app).sign_in(user)


@pytest.fixture
def cast(make):
    return Cast(make)
