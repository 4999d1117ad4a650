"""The procurement pages speak French to a user who chose it: the fiche, the open calls and
the proposal form, the selection record, the approvals inbox, the side letters and addenda;
a user who did not choose still reads English, and the API keeps its English texts."""

import html
import io

from pypdf import PdfReader

from tests.factories import PASSWORD

FRENCH_BROWSER = {"Accept-Language": "fr-FR,fr;q=0.9"}


def _in_french(as_user, user):
    """A browser of `user`, who chose French on the language form (kept on the account)."""
    b = as_user(user)
    answer = b.post("/language", {"language": "fr", "next": "/"})
    assert answer.status_code == 302
    return b


def _text(b, path) -> str:
    return html.unescape(b.text(path))


def _fiche(b, pid, **sections):
    form = {"context": "", "components": "", "version": ""} | sections
    return b.post(f"/projects/{pid}/fiche", form, token_from=f"/projects/{pid}/fiche")


def test_a_beneficiary_who_chose_french_edits_the_fiche_in_french_and_is_answered_in_french(
    as_user, cast
):
    b = _in_french(as_user, cast.beneficiary)
    pid = cast.project.id
    page = _text(b, f"/projects/{pid}/fiche")
    assert "<h1>Fiche de jumelage</h1>" in page
    assert "Enregistrer la fiche" in page and "Enregistrer les données du projet" in page
    assert "Institution bénéficiaire" in page and "Mise en œuvre (mois)" in page
    assert "Pas encore soumise" in page
    assert "Save the fiche" not in page and "Twinning Fiche" not in page

    refused = _fiche(b, pid, components="* orphan")
    assert refused.status_code == 422
    assert "ligne 1 : un indicateur doit suivre un résultat" in refused.get_data(as_text=True)
    saved = _fiche(b, pid, context="Les prisons sont surpeuplées.", version="0")
    assert saved.status_code == 302
    assert "Fiche enregistrée." in _text(b, f"/projects/{pid}/fiche")


def test_the_same_fiche_page_reads_in_english_for_a_user_who_did_not_choose(as_user, cast):
    page = _text(as_user(cast.beneficiary), f"/projects/{cast.project.id}/fiche")
    assert "<h1>Twinning Fiche</h1>" in page and "Save the fiche" in page
    assert "Enregistrer la fiche" not in page


def test_a_member_state_whose_browser_prefers_french_reads_the_calls_and_writes_in_french(
    as_user, cast
):
    cast.to("call_open")
    b = as_user(cast.france)
    calls = html.unescape(b.get("/calls", headers=FRENCH_BROWSER).get_data(True))
    assert "Appels à propositions ouverts" in calls and "Rédiger une proposition" in calls
    assert "Date limite" in calls and "Write a proposal" not in calls

    path = f"/calls/{cast.project.id}/proposal"
    form = html.unescape(b.get(path, headers=FRENCH_BROWSER).get_data(True))
    assert "Rédigez votre proposition" in form and "Soumettre la proposition" in form
    assert "Chef de projet de l’État membre" in form
    assert "Seules les institutions de votre État membre voient cette proposition" in form
    sent = b.post(
        path,
        {"project_leader": "Jeanne Martin", "rta_name": "Paul Durand", "summary": "Appui."},
        token_from=path,
        headers=FRENCH_BROWSER,
    )
    assert sent.status_code == 302
    after = html.unescape(b.get(path, headers=FRENCH_BROWSER).get_data(True))
    assert "Votre proposition a été soumise." in after and "Enregistrer les modifications" in after


def test_a_coordinator_who_chose_french_reads_the_selection_record_in_french(as_user, cast):
    project = cast.to("selection")
    page = _text(_in_french(as_user, cast.coordinator), f"/projects/{project.id}/selection")
    assert "<h1>Dossier de sélection</h1>" in page
    assert "1. Éligibilité de chaque proposition" in page
    assert "pas encore évaluée" in page and "Enregistrer l’éligibilité" in page
    assert "Enregistrez d’abord l’éligibilité de chaque proposition." in page
    assert "Selection record" not in page


def test_an_approval_card_asks_its_question_and_offers_its_buttons_in_french(as_user, cast, make):
    project = cast.to("selection")
    make.select(cast.beneficiary, project, cast.proposal)
    make.fire(cast.beneficiary, project, "select_partner", comment="La France convient.")
    page = _text(_in_french(as_user, cast.coordinator), "/approvals")
    assert "Approbations en attente de votre décision" in page
    assert "Retenir France (FR) comme État membre chef de file" in page
    assert "Select France" not in page
    assert "La proposition à approuver" in page and "Encore attendus" in page
    assert ">Approuver</button>" in page and ">Rejeter</button>" in page
    assert "Commentaire (obligatoire pour rejeter)" in page
    assert "La France convient." in page  # the user's own words are never translated


def test_the_side_letters_and_addenda_page_reads_in_french(as_user, cast):
    project = cast.to("implementation")
    page = _text(_in_french(as_user, cast.coordinator), f"/projects/{project.id}/changes")
    assert "Modifications en cours de mise en œuvre" in page
    assert "Proposer une modification" in page and "Avenant (modification majeure)" in page
    assert "Aucune lettre complémentaire ni aucun avenant pour l’instant." in page
    assert "Propose the change" not in page


def test_a_refusal_of_the_fiche_reads_in_french_on_the_page_and_in_english_in_the_api(
    as_user, cast, app
):
    project = cast.to("fiche_review")
    b = _in_french(as_user, cast.beneficiary)
    refused = _fiche(b, project.id, context="Trop tard.", version="1")
    assert refused.status_code == 409
    assert "La fiche ne peut être modifiée que pendant sa rédaction" in html.unescape(
        refused.get_data(as_text=True)
    )

    # The same refusal through the API, asked by a French browser: its texts are a contract.
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/token", json={"email": cast.beneficiary.email, "password": PASSWORD}
    ).json["token"]
    answer = client.put(
        f"/api/v1/projects/{project.id}/fiche",
        json={"sections": {"context": "Trop tard."}},
        headers={"Authorization": f"Bearer {token}"} | FRENCH_BROWSER,
    )
    assert answer.status_code == 409
    message = answer.get_json()["error"]["message"]
    assert message.startswith("The fiche can be edited only while it is being drafted")


def test_a_revision_prints_and_downloads_in_french_for_a_user_who_chose_french(as_user, cast):
    project = cast.to("fiche_review")
    b = _in_french(as_user, cast.beneficiary)
    printed = _text(b, f"/projects/{project.id}/fiche/revisions/1")
    assert '<html lang="fr">' in printed and "Fiche de jumelage, révision 1" in printed
    assert "Institution bénéficiaire" in printed
    pdf = b.get(f"/projects/{project.id}/fiche/revisions/1.pdf")
    words = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Fiche de jumelage, révision 1" in words and "Soumise le" in words
    assert "Twinning Fiche" not in words
