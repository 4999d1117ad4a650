"""A project in implementation, a browser for each party, and images made with Pillow."""

import io

import pytest
from PIL import Image

from tests.api.conftest import ApiClient
from tests.factories import Cast
from tests.web.conftest import Browser


@pytest.fixture
def cast(make):
    return Cast(make)


@pytest.fixture
def api(app):
    app.config["API_TOKEN_HOURS"] = 24 * 365 * 5  # the cast's clock moves by months
    return ApiClient(app.test_client())


@pytest.fixture
def as_user(app):
    return lambda user: Browser(app).sign_in(user)


@pytest.fixture
def visitor(app):
    return Browser(app)


def picture(fmt: str = "PNG", size=(1200, 800), colour=(30, 90, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def upload(browser, project, data: bytes, name: str, content_type: str, caption: str = ""):
    path = f"/projects/{project.id}/gallery"
    return browser.post(
        path,
        {"image": (io.BytesIO(data), name, content_type), "caption": caption},
        token_from=path,
        content_type="multipart/form-data",
    )
