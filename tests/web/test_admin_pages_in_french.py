"""Sign-in, the users' administration, the audit log, the inbox and the e-mail outbox read in
French for a user who chose French (or whose browser asks for it), and stay English otherwise."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest

from twinflow.notifications.models import OutboxEmail

pytestmark = pytest.mark.usefixtures("backend")

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}


def _in_french(b, user):
    answer = b.post("/language", {"language": "fr", "next": "/"})
    assert answer.status_code == 302
    return b


def _page(b, path, **kwargs) -> str:
    response = b.get(path, **kwargs)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_the_sign_in_page_and_its_refusal_read_in_the_browsers_french(app, make, browser):
    user = make.user("coordinator")
    b = browser()
    page = _page(b, "/login", headers=FRENCH)
    assert "Se connecter à twinflow" in page and "Rester connecté sur cet appareil" in page
    assert "Sign in to twinflow" not in page
    refused = b.client.post(
        "/login",
        data={"email": user.email, "password": "not-it", "csrf_token": b.token("/login")},
        headers=FRENCH,
    )
    assert refused.status_code == 401
    assert "L’adresse électronique ou le mot de passe n’est pas correct." in refused.get_data(
        as_text=True
    )


def test_an_administrator_who_chose_french_manages_users_in_french(app, make, browser, session):
    admin = make.user("admin")
    other = make.user("beneficiary")
    b = _in_french(browser().sign_in(admin), admin)

    users = _page(b, "/admin/users")
    for words in ("Blocages de connexion", "Nouvel utilisateur", "Tout rôle", "Statut", "Actif"):
        assert words in users
    assert "bénéficiaire" in users and "No user matches" not in users

    detail = _page(b, f"/admin/users/{other.id}")
    for words in ("Nom et courriel", "Réinitialiser le mot de passe", "Désactiver cet utilisateur"):
        assert words in detail
    assert "Institution d’un État membre" in detail  # the role choices

    confirm = _page(b, f"/admin/users/{other.id}/deactivate")
    assert f"Désactiver {other.display_name} ?" in confirm
    assert "ne pourra plus se connecter" in confirm and "Annuler" in confirm

    done = b.post(
        f"/admin/users/{other.id}/active",
        {"active": "0", "confirm": "yes"},
        token_from=f"/admin/users/{other.id}/deactivate",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert f"{other.email} est désactivé." in done

    # A refusal of the operation reads in French too, next to its field.
    refused = b.post(
        "/admin/users/new",
        {"email": "not-an-address", "password": "x", "role": "coordinator"},
        token_from="/admin/users/new",
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "doit être une adresse électronique" in text
    assert "doit compter au moins 10 caractères" in text

    lockouts = _page(b, "/admin/users/lockouts")
    assert "Aucun compte ni aucune adresse n’est bloqué." in lockouts


def test_the_audit_log_reads_in_french_and_its_export_keeps_machine_column_names(
    app, make, browser
):
    admin = make.user("admin")
    make.user("coordinator")
    b = _in_french(browser().sign_in(admin), admin)
    page = _page(b, "/admin/audit")
    for words in ("Journal d’audit", "Vérifier la chaîne", "Exporter en CSV", "Toute action"):
        assert words in page
    assert re.search(r"\d+ événements correspondent\.", page)

    wrong = b.get("/admin/audit?date_from=2027-13-45")
    assert wrong.status_code == 422
    assert "Du : n’est pas une date" in wrong.get_data(as_text=True)

    verified = b.post("/admin/audit/verify", token_from="/admin/audit").get_data(as_text=True)
    assert "Chaîne intacte." in verified

    # The export is read by programs too (the CLI and the API give the same file): its column
    # names stay the same whoever exports it, in whatever language.
    english = browser().sign_in(make.user("admin"))
    exported = [
        next(csv.reader(io.StringIO(client.get("/admin/audit/export.csv").get_data(as_text=True))))
        for client in (b, english)
    ]
    assert exported[0] == exported[1] and "action_label" in exported[0]


def test_the_inbox_and_the_outbox_read_in_french(app, make, browser, session):
    admin = make.user("admin")
    when = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    session.add(
        OutboxEmail(
            to_address="karl@example.de",
            subject="[AM-24-FI-02] Proposals are due",
            body_text="Reminder.",
            status="failed",
            attempts=1,
            last_error="SMTPRecipientsRefused: 550 no such mailbox",
            created_at=when,
            next_attempt_at=when,
        )
    )
    session.commit()
    b = _in_french(browser().sign_in(admin), admin)
    inbox = _page(b, "/notifications")
    assert "Aucune notification." in inbox and "Vos échéances dans votre agenda" in inbox
    outbox = _page(b, "/admin/outbox?status=failed")
    assert "Courriels au statut « En échec » : 1 courriel" in outbox
    assert "Motif du non-envoi" in outbox
    # What was sent stays as it was written: a stored e-mail is never translated.
    assert "[AM-24-FI-02] Proposals are due" in outbox


def test_an_administrator_without_a_french_choice_still_reads_english(app, make, browser):
    admin = make.user("admin")
    b = browser().sign_in(admin)
    assert "Sign-in lockouts" in _page(b, "/admin/users")
    assert "Verify chain" in _page(b, "/admin/audit")
    assert "Your deadlines in your calendar" in _page(b, "/notifications")
    assert "Every e-mail twinflow queued" in _page(b, "/admin/outbox")
