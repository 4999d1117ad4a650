"""A user who reads French gets the project pages in French: the list, the project page with
its "what next" sentence, the new-project form and its messages, the public pages, the import
page and the organisations; a user who reads English still gets English."""

import io
import re
from html import unescape

import pytest
from babel.dates import format_datetime

from tests.api.conftest import ApiClient
from tests.factories import Cast
from tests.imports.conftest import PORTFOLIO, csv_bytes, row

pytestmark = pytest.mark.usefixtures("backend")

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}


def _french(browser, path: str) -> str:
    response = browser.get(path, headers=FRENCH)
    assert response.status_code == 200, (path, response.status_code)
    return unescape(response.get_data(as_text=True))


def _banner(page: str) -> str:
    found = re.search(r'data-testid="what-next">(.*?)</div>', page, re.S)
    assert found, "no what-next banner"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def test_the_project_page_reads_in_french_with_its_next_step(make, as_user):
    cast = Cast(make)
    project = cast.to("selection")
    make.session.commit()
    page = _french(as_user(cast.coordinator), f"/projects/{project.id}")
    assert _banner(page).startswith(
        "Votre prochaine étape : Marquez la proposition que vous retenez (1 reçue)"
    )
    assert f'href="/projects/{project.id}#proposals">Le faire maintenant</a>' in page
    for heading in ("Ce que vous pouvez faire", "Propositions", "Chronologie", "Détails"):
        assert f">{heading}</h2>" in page
    assert "<dt>Date limite des propositions</dt>" in page
    assert "Marquer comme retenue" in page
    for english in ("What you can do", "Next for you", "Timeline", "Proposal deadline"):
        assert english not in page
    waiting = _banner(_french(as_user(cast.france), f"/projects/{project.id}"))
    assert waiting == (
        "Prochaine étape : En attente d’un coordinateur et du bénéficiaire, qui doivent "
        "choisir le partenaire."
    )


def test_the_same_project_page_stays_english_for_an_english_reader(make, as_user):
    cast = Cast(make)
    project = cast.to("selection")
    make.session.commit()
    page = as_user(cast.coordinator).text(f"/projects/{project.id}")
    assert _banner(page).startswith("Next for you: Mark the proposal you choose (1 received)")
    assert ">What you can do</h2>" in page and "Ce que vous pouvez faire" not in page


def test_a_member_state_reads_the_proposal_deadline_as_a_french_date(make, as_user):
    cast = Cast(make)
    project = cast.to("call_open")
    make.session.commit()
    banner = _banner(_french(as_user(cast.france), f"/projects/{project.id}"))
    when = format_datetime(project.proposal_deadline, "dd MMM y HH:mm", locale="fr")
    assert banner == (
        f"Votre prochaine étape : Envoyez votre proposition avant le {when} UTC. "
        "Le faire maintenant"
    )


def test_the_users_own_choice_of_french_holds_on_the_project_list(make, as_user):
    cast = Cast(make)
    make.session.commit()
    b = as_user(cast.beneficiary)
    b.post("/language", {"language": "fr", "next": "/projects"})
    page = unescape(b.text("/projects"))  # no Accept-Language: the account's choice
    assert "<h1>Projets</h1>" in page
    assert "1 projet correspond." in page
    assert ">Nouveau projet</a>" in page and "Toutes les étapes" in page
    assert "Télécharger cette liste :" in page
    assert "<label" in page and ">Trier par</label>" in page
    assert ">Dernière modification</option>" in page
    assert "project matches" not in page and "New project" not in page


def test_the_new_project_form_and_its_messages_read_in_french(make, as_user):
    b = as_user(make.user("beneficiary"))
    page = _french(b, "/projects/new")
    assert "<h1>Nouveau projet</h1>" in page
    assert ">Mode de gestion</label>" in page and "Gestion directe (la Délégation" in page
    values = {
        "title": "Zéro mois",
        "workflow": "twinning",
        "sector": "JH",
        "instrument": "NDICI",
        "budget_eur": "1000000",
        "management_mode": "direct",
    }
    refused = b.post(
        "/projects/new",
        values | {"implementation_months": "0"},
        token_from="/projects/new",
        headers=FRENCH,
    )
    assert refused.status_code == 422
    assert "doit être d’au moins 1 mois et d’au plus 120" in unescape(refused.get_data(True))
    created = b.post(
        "/projects/new",
        values | {"implementation_months": "24"},
        token_from="/projects/new",
        headers=FRENCH,
        follow_redirects=True,
    )
    page = unescape(created.get_data(as_text=True))
    assert re.search(r"Projet [^<]+ créé à l’étape de rédaction de la fiche\.", page)
    assert "Zéro mois" in page  # the user's own title, as written


def test_a_visitor_reads_the_public_pages_in_french(cast, browser):
    project = cast.to("implementation")
    visitor = browser()
    visitor.get("/language/fr?next=/public/projects")
    listing = unescape(visitor.text("/public/projects"))
    assert "<h1>Projets de jumelage</h1>" in listing and "1 projet correspond." in listing
    page = unescape(visitor.text(f"/public/projects/{project.id}"))
    assert "En cours : les partenaires mettent en œuvre le projet" in page
    assert "<dt>État membre chef de file</dt>" in page and "Pays concernés" in page
    assert project.title in page
    assert "Countries involved" not in page and "Lead Member State" not in page


def test_an_administrator_reads_the_import_report_in_french(make, as_user):
    b = as_user(make.user("admin"))
    page = _french(b, "/admin/imports")
    assert "<h1>Importer des projets</h1>" in page and "Vérifier le fichier (essai à blanc)" in page
    dry = b.post(
        "/admin/imports",
        {"file": (io.BytesIO(PORTFOLIO.read_bytes()), "portfolio.csv")},
        token_from="/admin/imports",
        content_type="multipart/form-data",
        headers=FRENCH,
    )
    report = unescape(dry.get_data(as_text=True))
    assert dry.status_code == 200
    assert "Essai à blanc : rien n’a encore été enregistré" in report
    assert "portfolio.csv : 30 ligne(s) : 30 seraient créés ; 0 erreur(s)" in report
    assert "<td>seraient créés</td>" in report
    assert "would be created" not in report


def test_an_import_rows_refusal_gives_its_reason_in_french_and_in_english_on_the_api(
    make, as_user, session
):
    admin = make.user("admin")
    session.commit()
    b = as_user(admin)
    data = csv_bytes([row(reference="A 1", budget_eur="lots")])
    dry = b.post(
        "/admin/imports",
        {"file": (io.BytesIO(data), "bad.csv")},
        token_from="/admin/imports",
        content_type="multipart/form-data",
        headers=FRENCH,
    )
    page = unescape(dry.get_data(as_text=True))
    assert "<td>budget_eur</td><td><code>lots</code></td><td>n’est pas un montant en EUR" in page
    assert "Non importé" not in page and "apply-import" not in page
    # The API's texts are a contract read by programs: English whatever the browser prefers.
    api = ApiClient(b.app.test_client()).as_(admin)
    answer = api.request(
        "POST",
        "/imports?dry_run=true",
        headers=FRENCH,
        data={"file": (io.BytesIO(data), "bad.csv")},
        content_type="multipart/form-data",
    )
    reasons = [e["reason"] for e in answer.json["errors"] if e["column"] == "budget_eur"]
    assert reasons and reasons[0].startswith("is not an amount in EUR")


def test_an_administrator_reads_the_organisations_in_french(make, as_user):
    make.organisation("Delegation to Armenia", countries=["AM"])
    b = as_user(make.user("admin"))
    page = _french(b, "/admin/organisations")
    assert "<h1>Organisations</h1>" in page and ">Nouvelle organisation</a>" in page
    assert "<td>Délégation de l’UE</td>" in page
    assert "Delegation to Armenia" in page  # a name is the user's data, never translated
    form = _french(b, "/admin/organisations/new")
    assert ">Pays bénéficiaires couverts</label>" in form
