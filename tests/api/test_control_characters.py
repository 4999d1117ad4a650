"""Control characters are refused with 422 naming the field at every input of the API.

The cases are read from the app itself: every argument schema registered with flask-smorest
(bodies, query filters, multipart forms) and every string inside it, so a new route or field
is covered without anyone remembering to add it here."""

import re

import pytest
from marshmallow import fields
from sqlalchemy import func, select

from tests.api.conftest import API, error_of
from tests.factories import PASSWORD
from twinflow import create_app
from twinflow.projects.models import Project

# A single-line field refuses line breaks and every other control but TAB; a multi-line
# field (a comment, a summary) keeps CR, LF and TAB but refuses the rest.
REFUSED_ON_ONE_LINE = ["\x00", "\r\n", "\x1b"]
REFUSED_ON_SEVERAL = ["\x00", "\x1b"]
URL_ARGUMENT = re.compile(r"<[^>]+>")


def _cases_of(field, path: str, wrap):
    """(path of the error, the field, how to put a value at that place in the body)."""
    if isinstance(field, fields.String):
        yield path, field, wrap
    elif isinstance(field, fields.List):
        yield from _cases_of(field.inner, f"{path}.0", lambda v: wrap([v]))
    elif isinstance(field, fields.Dict) and isinstance(field.key_field, fields.String):
        yield path, field.key_field, lambda v: wrap({v: "x"})
    elif isinstance(field, fields.Nested):
        for name, inner in field.schema.fields.items():
            key = inner.data_key or name
            yield from _cases_of(inner, f"{path}.{key}", lambda v, k=key: wrap({k: v}))


def _api_cases() -> list:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")
    cases = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API):
            continue
        view = app.view_functions[rule.endpoint]
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for argument in getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", []):
            schema = argument["schema"]
            schema = schema() if isinstance(schema, type) else schema
            for name, field in schema.fields.items():
                key = field.data_key or name
                for path, text_field, wrap in _cases_of(field, key, lambda v, k=key: {k: v}):
                    url = URL_ARGUMENT.sub("1", rule.rule)
                    case = (methods[0], url, argument["in"], path, text_field, wrap)
                    cases.append(pytest.param(*case, id=f"{methods[0]} {url} {path}"))
    return cases


CASES = _api_cases()


def test_the_walk_finds_the_bodies_the_filters_and_the_upload_of_the_api():
    found = {(c.values[0], c.values[1].removeprefix(API), c.values[3]) for c in CASES}
    assert ("POST", "/projects", "title") in found
    assert ("GET", "/projects", "q") in found
    assert ("GET", "/audit", "actor") in found
    assert ("POST", "/projects/1/activities", "experts.0") in found
    assert ("POST", "/projects/1/transitions", "data") in found
    assert ("POST", "/projects/1/documents", "category") in found
    assert len(CASES) >= 60


@pytest.fixture(scope="module")
def client_with_token(module_db_url):
    """One app and one token for the whole module: every request here is refused before
    anything is written."""
    from twinflow.auth.operations import create_user
    from twinflow.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=module_db_url)
    with app.app_context():
        create_user(
            db.session,
            email="admin@example.eu",
            password=PASSWORD,
            role="admin",
            now=app.extensions["twinflow.engine"].clock.now(),
            hash_method="pbkdf2:sha256:1000",
        )
        db.session.commit()
    client = app.test_client()
    token = client.post(
        f"{API}/auth/token", json={"email": "admin@example.eu", "password": PASSWORD}
    ).json["token"]
    yield client, token
    with app.app_context():
        db.engine.dispose()


def _send(client, token, method, url, location, body):
    headers = {"Authorization": f"Bearer {token}"}
    if location == "query":
        return client.open(url, method=method, query_string=body, headers=headers)
    if location in ("form", "multipart"):
        return client.open(
            url, method=method, data=body, content_type="multipart/form-data", headers=headers
        )
    return client.open(url, method=method, json=body, headers=headers)


def _control_errors(response, path: str) -> list[str]:
    details = error_of(response)["details"]
    return [
        message
        for key, messages in details.items()
        if key == path or key.startswith(f"{path}.")
        for message in messages
        if "control characters" in message
    ]


@pytest.mark.parametrize(("method", "url", "location", "path", "field", "wrap"), CASES)
def test_every_string_the_api_reads_refuses_control_characters_with_422_naming_it(
    client_with_token, method, url, location, path, field, wrap
):
    client, token = client_with_token
    multiline = getattr(field, "multiline", False)
    for char in REFUSED_ON_SEVERAL if multiline else REFUSED_ON_ONE_LINE:
        response = _send(client, token, method, url, location, wrap(f"Prison{char}reform"))
        assert response.status_code == 422, (char, response.status_code, response.json)
        assert _control_errors(response, path), (char, response.json)
    if multiline:
        response = _send(client, token, method, url, location, wrap("First line\r\nsecond"))
        assert not _control_errors(response, path), response.json


def test_a_title_with_a_line_break_is_refused_and_nothing_is_created(api, cast, session):
    response = api.as_(cast.beneficiary).post(
        "/projects",
        json={
            "title": "Prison reform\r\nBcc: leak@evil.example",
            "workflow": "twinning",
            "sector": "JH",
            "instrument": "ENI",
            "budget_eur": 1_000_000,
            "implementation_months": 24,
        },
    )
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_data"
    assert error["details"] == {
        "title": [
            "must be one line without control characters: found carriage return (U+000D) "
            "at character 14"
        ]
    }
    assert session.scalar(select(func.count()).select_from(Project)) == 1  # the cast's own


def test_a_description_keeps_its_line_breaks(api, cast):
    response = api.as_(cast.beneficiary).post(
        "/projects",
        json={
            "title": "Prison reform",
            "description": "Two components:\r\n\t1. training\r\n\t2. IT",
            "workflow": "twinning",
            "sector": "JH",
            "instrument": "ENI",
            "budget_eur": 1_000_000,
            "implementation_months": 24,
        },
    )
    assert response.status_code == 201, response.json
    assert response.json["description"] == "Two components:\r\n\t1. training\r\n\t2. IT"


def test_a_nul_in_a_filter_is_a_422_naming_the_filter_not_a_server_error(api, cast):
    response = api.as_(cast.coordinator).get("/projects", query_string={"q": "a\x00b"})
    assert response.status_code == 422
    assert list(error_of(response)["details"]) == ["q"]
