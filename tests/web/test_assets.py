"""Assets and caches: hashed addresses cached for good, personal answers never kept (issue 18)."""

import re

from tests.factories import PASSWORD
from twinflow.web.assets import IMMUTABLE


def _asset_url(page: str) -> str:
    return re.search(r'href="(/assets/app\.css\?v=[0-9a-f]{16})"', page).group(1)


def test_the_stylesheet_has_a_content_hashed_address_cached_as_immutable(cast, as_user):
    browser = as_user(cast.coordinator)
    url = _asset_url(browser.text(f"/projects/{cast.project.id}"))
    with browser.get(url) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE
    # An address without the current hash is revalidated, never kept for a year.
    with browser.get("/assets/app.css?v=0000000000000000") as plain:
        assert plain.headers["Cache-Control"] == "no-cache"


def test_answers_are_compressed_for_a_client_that_accepts_it(cast, as_user):
    browser = as_user(cast.coordinator)
    page = browser.get(f"/projects/{cast.project.id}", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page.headers["Vary"]
    plain = browser.get(f"/projects/{cast.project.id}")
    assert "Content-Encoding" not in plain.headers
    assert int(page.headers["Content-Length"]) < len(plain.get_data()) / 3


def test_two_users_behind_one_cache_get_their_own_pages_and_share_only_the_assets(
    cast, as_user, app
):
    """A shared cache may keep only what is the same for everyone: the hashed assets."""
    project = cast.project
    coordinator, beneficiary = as_user(cast.coordinator), as_user(cast.beneficiary)
    pages = {}
    for who, browser in (("coordinator", coordinator), ("beneficiary", beneficiary)):
        for path in ("/", f"/projects/{project.id}", "/projects"):
            response = browser.get(path, headers={"Accept-Encoding": "gzip"})
            assert response.status_code == 200, (who, path)
            cache = response.headers["Cache-Control"]
            assert "no-store" in cache and "public" not in cache, (who, path, cache)
        pages[who] = coordinator.text("/") if who == "coordinator" else beneficiary.text("/")
    assert cast.coordinator.email in pages["coordinator"]
    assert cast.coordinator.email not in pages["beneficiary"]
    client = app.test_client()
    for user in (cast.coordinator, cast.beneficiary):
        token = client.post(
            "/api/v1/auth/token", json={"email": user.email, "password": PASSWORD}
        ).json["token"]
        answer = client.get(
            f"/api/v1/projects/{project.id}",
            headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"},
        )
        assert answer.status_code == 200
        assert "no-store" in answer.headers["Cache-Control"]
        # The ETag a client sends back in If-Match stays the project's version.
        assert answer.headers["ETag"] == f'"{project.version}"'
    # The one thing both may be served from a shared cache is byte-for-byte the same.
    url = _asset_url(coordinator.text("/"))
    assert url == _asset_url(beneficiary.text("/"))
    with coordinator.get(url) as mine, beneficiary.get(url) as theirs:
        assert mine.get_data() == theirs.get_data()
        assert mine.headers["Cache-Control"] == theirs.headers["Cache-Control"] == IMMUTABLE
