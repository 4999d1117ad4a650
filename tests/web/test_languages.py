"""The pages speak French to whoever asks for it: the user's choice first, then the browser."""

import pytest

pytestmark = pytest.mark.usefixtures("backend")


def test_a_browser_preferring_french_gets_the_pages_in_french(app, make, browser):
    coordinator = make.user("coordinator")
    b = browser().sign_in(coordinator)
    page = b.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}).get_data(True)
    assert '<html lang="fr">' in page
    assert "Tableau de bord" in page and "Se déconnecter" in page


def test_a_browser_without_a_preference_gets_english(app, make, browser):
    b = browser().sign_in(make.user("coordinator"))
    page = b.text("/")
    assert '<html lang="en">' in page and "Sign out" in page


def test_the_users_own_choice_wins_over_the_browser_and_is_kept_on_the_account(
    app, make, browser, session
):
    user = make.user("beneficiary")
    b = browser().sign_in(user)
    answer = b.post("/language", {"language": "fr", "next": "/projects"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/projects")
    english_browser = {"Accept-Language": "en-GB,en;q=0.9"}
    assert "Se déconnecter" in b.get("/", headers=english_browser).get_data(True)
    session.expire_all()
    assert session.get(type(user), user.id).language == "fr"
    # A second device of the same user, its browser in English, gets French too.
    other = browser().sign_in(user)
    assert "Se déconnecter" in other.get("/", headers=english_browser).get_data(True)


def test_a_language_not_offered_or_a_foreign_return_address_changes_nothing(
    app, make, browser, session
):
    user = make.user("beneficiary")
    b = browser().sign_in(user)
    answer = b.post("/language", {"language": "xx", "next": "https://evil.example/"})
    assert answer.status_code == 302
    assert not answer.headers["Location"].startswith("https://evil")
    session.expire_all()
    assert session.get(type(user), user.id).language is None


def test_the_language_choice_needs_the_forms_csrf_token(app, make, browser, session):
    user = make.user("beneficiary")
    b = browser().sign_in(user)
    b.client.post("/language", data={"language": "fr", "next": "/"})
    session.expire_all()
    assert session.get(type(user), user.id).language is None


def test_a_visitor_of_the_public_pages_chooses_french_by_a_link(app, browser):
    b = browser()
    answer = b.get("/language/fr?next=/public/projects")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/public/projects")
    page = b.get("/public/projects").get_data(True)
    assert '<html lang="fr">' in page


# The templates' `_()` reads the request's catalogue directly (twinflow/web/language.py, for
# speed); it must write exactly what Jinja's own newstyle gettext writes, in either language.
TEMPLATE_TEXTS = [
    '{{ _("Dashboard") }}',
    '{{ _("Sign out") }}|{{ gettext("Sign out") }}',
    '{{ _("Hello %(name)s", name=who) }}',
    '{{ _("100%% done") }} {{ _("Due on %(date)s", date="<b>1 May</b>") }}',
    '{{ ngettext("%(num)s project", "%(num)s projects", n) }}',
    '{{ ngettext("one for %(who)s", "%(num)d for %(who)s", 2, who=who) }}',
    "{% trans %}Sign out{% endtrans %} {% trans count=n %}{{ count }} event"
    "{% pluralize %}{{ count }} events{% endtrans %}",
    '{% autoescape false %}{{ _("Hello %(name)s", name=who) }}{% endautoescape %}',
]


def _as_jinja_would_write(app, source: str, language: str, **values) -> str:
    from jinja2 import Environment

    from twinflow.i18n import _speaker_for

    reference = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    reference.install_gettext_translations(_speaker_for(language)[1], newstyle=True)
    return reference.from_string(source).render(**values)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_template_text_reads_exactly_as_jinjas_own_gettext_writes_it(app, language):
    from flask import render_template_string

    values = dict(who="<script>x</script> & Co", n=3)
    headers = {"Accept-Language": language}
    for source in TEMPLATE_TEXTS:
        with app.test_request_context("/login", headers=headers):
            app.preprocess_request()
            ours = render_template_string(source, **values)
        assert ours == _as_jinja_would_write(app, source, language, **values), source
    with app.test_request_context("/login", headers={"Accept-Language": "fr"}):
        app.preprocess_request()
        assert render_template_string(TEMPLATE_TEXTS[0]) == "Tableau de bord"


def test_a_page_refused_before_the_language_is_chosen_still_speaks_it(app, browser):
    # The CSRF check runs before the hook that binds the request's language.
    b = browser()
    answer = b.client.post(
        "/login", data={"email": "x@example.org"}, headers={"Accept-Language": "fr"}
    )
    assert answer.status_code == 400
    page = answer.get_data(True)
    assert "Aller au contenu" in page and "Skip to content" not in page


def test_a_french_page_leaves_the_next_request_in_english(app, make, browser):
    from twinflow.i18n import current_language

    b = browser().sign_in(make.user("coordinator"))
    french = b.get("/", headers={"Accept-Language": "fr"}).get_data(True)
    assert "Tableau de bord" in french
    assert current_language() == "en"
    assert "Sign out" in b.get("/", headers={"Accept-Language": "en"}).get_data(True)


@pytest.mark.parametrize(
    "language, message", [("en", "Not a valid integer value."), ("fr", "pas un entier valide")]
)
def test_wtforms_own_messages_follow_the_requests_language(app, language, message):
    # The request's WTForms catalogue is loaded once per process (twinflow/web/language.py).
    from wtforms import IntegerField

    from twinflow.web.forms import SafeForm

    class Form(SafeForm):
        number = IntegerField("Number")

    for _ in range(2):
        with app.test_request_context(
            "/", method="POST", data={"number": "x"}, headers={"Accept-Language": language}
        ):
            app.preprocess_request()
            form = Form(meta={"csrf": False})
            assert not form.validate()
            assert message in form.number.errors[0], form.number.errors
