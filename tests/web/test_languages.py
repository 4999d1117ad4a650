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
