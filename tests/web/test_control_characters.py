"""Control characters are refused at every input of the web UI: every field of every form
(found by walking the form classes, so none is forgotten) and the filters of every page
(found in the app's URL map): 422 naming the field, never a 500, nothing stored."""

import re

import pytest
from flask import request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import func, select
from wtforms import Form, TextAreaField

from tests.factories import PASSWORD
from tests.web.conftest import Browser
from twinflow import create_app
from twinflow.projects.forms import trigger_form_class
from twinflow.projects.models import Project
from twinflow.web.forms import RefusesControlCharacters, SafeForm, SafeQueryForm

REFUSED_ON_ONE_LINE = ["\x00", "\r\n", "\x1b"]
REFUSED_ON_SEVERAL = ["\x00", "\x1b"]
BASES = {SafeForm, SafeQueryForm}
URL_ARGUMENT = re.compile(r"<[^>]+>")

# Forms are plain classes: an app without a database is enough to build and validate them.
APP = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", WTF_CSRF_ENABLED=False)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _form_classes() -> list[type]:
    """Every form class of twinflow (create_app imported them all), and the forms built for
    each trigger of each shipped lifecycle."""
    found = {c for c in _subclasses(Form) if c.__module__.startswith("twinflow.")} - BASES
    registry = APP.extensions["twinflow.registry"]
    for name in registry.names():
        for spec in registry.current(name).transitions:
            found.add(trigger_form_class(spec))
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


FORMS = _form_classes()


def _field_cases() -> list:
    cases = []
    with APP.test_request_context():
        for form_class in FORMS:
            for field in form_class():
                if isinstance(field, FileField) or field.type == "CSRFTokenField":
                    continue  # a file is judged by the upload; the token by CSRF
                if field.type == "FieldList":
                    continue  # its rows are a form of their own, walked as one of FORMS
                cases.append(
                    pytest.param(
                        form_class,
                        field.name,
                        isinstance(field, TextAreaField),
                        id=f"{form_class.__name__}.{field.name}",
                    )
                )
    return cases


FIELDS = _field_cases()


def test_every_form_of_the_web_ui_holds_its_fields_to_the_text_rule():
    assert len(FORMS) >= 20
    assert [f.__name__ for f in FORMS if not issubclass(f, RefusesControlCharacters)] == []
    names = {case.id for case in FIELDS}
    assert {"LoginForm.email", "ProjectForm.title", "AuditFilterForm.actor"} <= names


def _validated(form_class, name: str, value: str):
    with APP.test_request_context(method="POST", data={name: value}):
        # A FlaskForm reads the request itself; a GET filter form is handed what was sent.
        form = form_class() if issubclass(form_class, FlaskForm) else form_class(request.form)
        return form.validate(), form[name].errors


@pytest.mark.parametrize(("form_class", "name", "multiline"), FIELDS)
def test_every_field_of_every_form_refuses_control_characters_naming_the_character(
    form_class, name, multiline
):
    for char in REFUSED_ON_SEVERAL if multiline else REFUSED_ON_ONE_LINE:
        valid, errors = _validated(form_class, name, f"Prison{char}reform")
        assert not valid
        assert any("control characters" in e and "at character 7" in e for e in errors), errors
    if multiline:
        _valid, errors = _validated(form_class, name, "First line\r\nsecond")
        assert not any("control characters" in e for e in errors), errors


# -- through the pages ------------------------------------------------------------------------


def test_signing_in_with_a_nul_in_the_address_is_a_422_naming_the_field(browser, cast):
    page = browser()
    response = page.client.post(
        "/login", data={"email": "a\x00@x.eu", "password": PASSWORD, "csrf_token": page.token()}
    )
    assert response.status_code == 422
    assert "found NUL (U+0000) at character 2" in response.get_data(as_text=True)


def _new_project(user_page, **values):
    data = dict(
        title="Prison reform",
        workflow="twinning",
        sector="JH",
        instrument="ENI",
        budget_eur="1000000",
        implementation_months="24",
    )
    return user_page.post("/projects/new", data | values, token_from="/projects/new")


@pytest.mark.parametrize("title", ["Prison\x00reform", "Prison reform\r\nBcc: x@evil.example"])
def test_a_title_with_a_control_character_is_refused_and_nothing_is_stored(
    as_user, cast, session, title
):
    response = _new_project(as_user(cast.beneficiary), title=title)
    assert response.status_code == 422
    assert "must be one line without control characters" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Project)) == 1  # the cast's own


def test_a_description_typed_on_several_lines_is_kept(as_user, cast, session):
    response = _new_project(as_user(cast.beneficiary), description="Two parts:\r\n1. training")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    created = session.scalar(select(Project).order_by(Project.id.desc()))
    assert created.description.splitlines() == ["Two parts:", "1. training"]


def test_a_nul_in_the_project_search_is_a_422_page_naming_the_filter(as_user, cast):
    response = as_user(cast.coordinator).get("/projects?q=%00&state=call_open")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "the parameter “q” of the address" in text and "NUL (U+0000)" in text


def _web_get_routes() -> list:
    routes = []
    for rule in APP.url_map.iter_rules():
        if "GET" in rule.methods and not rule.rule.startswith(("/api/", "/static")):
            if rule.endpoint.endswith(".static"):
                continue
            url = URL_ARGUMENT.sub("1", rule.rule)
            routes.append(pytest.param(url, id=url))
    return routes


@pytest.fixture(scope="module")
def admin_page(module_db_url):
    """One signed-in admin for the walk: every request in it is refused before a view runs."""
    from twinflow.auth.operations import create_user
    from twinflow.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=module_db_url)
    with app.app_context():
        admin = create_user(
            db.session,
            email="admin@example.eu",
            password=PASSWORD,
            role="admin",
            now=app.extensions["twinflow.engine"].clock.now(),
            hash_method="pbkdf2:sha256:1000",
        )
        db.session.commit()
        page = Browser(app).sign_in(admin)
    yield page
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("url", _web_get_routes())
def test_every_page_answers_a_control_character_in_its_filters_with_a_422_naming_it(
    admin_page, url
):
    for name, value in (("q", "a\x00b"), ("state", "call\r\nopen"), ("actor\x00", "x")):
        response = admin_page.get(url, query_string={name: value})
        assert response.status_code == 422, (name, response.status_code)
        shown = name.replace("\x00", "[U+0000]")
        assert f"“{shown}”" in response.get_data(as_text=True)
