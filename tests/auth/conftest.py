"""Sign-in tests drive both adapters: browsers (the web fixtures' Browser) and API clients."""

import pytest

from tests.web.conftest import Browser


@pytest.fixture
def browser(app):
    return lambda: Browser(app)


@pytest.fixture
def as_user(app):
    return lambda user: Browser(app).sign_in(user)
