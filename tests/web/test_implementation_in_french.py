"""The implementation pages (progress, activities, team, reports, steering committee, documents,
gallery, deadlines) speak French to a user who chose it, forms, refusals and messages included;
a user who did not still reads English."""

import html
import re
from datetime import timedelta

import pytest

from tests.web.test_records import flashes, submit
from twinflow.activities import operations as activities
from twinflow.team.models import TeamMember
from twinflow.workflow.durations import add_months

pytestmark = pytest.mark.usefixtures("backend")
FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}


def in_french(as_user, user):
    """A browser signed in as `user`, who chose French on the language form."""
    b = as_user(user)
    assert b.post("/language", {"language": "fr", "next": "/"}).status_code == 302
    return b


def text(b, path: str) -> str:
    return html.unescape(b.text(path))


@pytest.fixture
def running(cast, make):
    """A project in implementation with one workshop planned in its first month."""
    project = cast.to("implementation")
    start = project.implementation_start.date()
    activities.plan_activity(
        make.session, make.engine, cast.beneficiary, project.id,
        {"kind": "workshop", "title": "Kick-off with the courts",
         "planned_start": start + timedelta(days=10), "planned_end": start + timedelta(days=11)},
    )  # fmt: skip
    return cast, project


def test_a_user_who_chose_french_reads_progress_activities_and_team_in_french(running, as_user):
    cast, project = running
    b, base = in_french(as_user, cast.beneficiary), f"/projects/{project.id}"
    progress = text(b, f"{base}/progress")
    assert "Résultats obligatoires" in progress and "Indicateurs, en moyenne" in progress
    assert "0 sur 0 rédigés" in progress and "prévu : 1" in progress
    assert ">Avancement<" in progress and ">Comité de pilotage<" in progress  # the tabs
    assert "Mandatory results" not in progress and "Work plan" not in progress
    page = text(b, f"{base}/activities")
    assert "Plan de travail" in page and "Planifier une activité" in page
    assert ">Atelier<" in page and ">Prévu<" in page  # the activity's kind and status
    assert "Calendrier d’une activité" in page  # the timeline's description
    assert "Mission d’expertise" in page  # a kind offered in the planning form
    team = text(b, f"{base}/team")
    assert "Équipe du projet" in team and "Ajouter un membre à l’équipe" in team
    assert "Conseiller résident de jumelage (CRJ)" in team and "Début du détachement" in team


def test_a_user_without_a_french_choice_still_reads_the_pages_in_english(running, as_user):
    cast, project = running
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    progress = text(b, f"{base}/progress")
    assert "Mandatory results" in progress and "0 of 0 drafted" in progress
    assert "1 planned" in progress and "Résultats obligatoires" not in progress
    page = text(b, f"{base}/activities")
    assert "Work plan" in page and ">Workshop<" in page and "Timeline of 1 activity" in page
    assert "Plan de travail" not in page


def test_a_french_users_refusals_and_messages_are_in_french_and_nothing_is_saved(
    running, as_user, clock
):
    cast, project = running
    clock.set(add_months(project.implementation_start, 3) + timedelta(days=1))  # Q1 is over
    b, base = in_french(as_user, cast.beneficiary), f"/projects/{project.id}"
    refused = submit(
        b, f"{base}/activities", f"{base}/activities",
        {"plan-kind": "training", "plan-title": "Training of judges",
         "plan-planned_start": "2027-06-10", "plan-planned_end": "2027-06-12",
         "plan-participants": "-3"},
    )  # fmt: skip
    assert refused.status_code == 422
    error = re.search(r'id="plan-participants-err">([^<]*)<', refused.get_data(as_text=True))
    assert error.group(1) == "ne peut pas être négatif"
    assert "Training of judges" not in text(b, f"{base}/activities")
    drafted = submit(b, f"{base}/reports", f"{base}/reports", {"kind": "interim", "number": "1"})
    assert drafted.status_code == 302
    page = text(b, f"{base}/reports")
    assert "Rapport rédigé : joignez-en le fichier" in " ".join(flashes(page))
    assert "Rapport intermédiaire 1" in page and "Rapports intermédiaires et rapport final" in page
    assert "Commentaire (facultatif)" in page


def test_a_french_user_reads_steering_documents_and_gallery_in_french(running, as_user, clock):
    cast, project = running
    clock.set(add_months(project.implementation_start, 3) + timedelta(days=10))
    b, base = in_french(as_user, cast.beneficiary), f"/projects/{project.id}"
    steering = text(b, f"{base}/steering")
    assert "Réunions manquantes" in steering and "Enregistrer une réunion" in steering
    held = (project.implementation_start + timedelta(days=45)).date().isoformat()
    submit(b, f"{base}/steering", f"{base}/steering", {"held_on": held, "attendees": "Nino"})
    assert "Réunion enregistrée." in flashes(text(b, f"{base}/steering"))
    documents = text(b, f"{base}/documents")
    assert "Documents du projet" in documents and "Téléverser un document" in documents
    assert "Procès-verbal du comité de pilotage" in documents  # a category offered
    gallery = text(b, f"{base}/gallery")
    assert "Images du projet" in gallery and "Ajouter une image" in gallery


def test_the_time_zone_page_and_its_confirmation_follow_the_browsers_french(cast, as_user):
    b = as_user(cast.beneficiary)
    page = b.get("/account/time-zone", headers=FRENCH).get_data(as_text=True)
    assert "Votre fuseau horaire" in html.unescape(page)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = b.client.post(
        "/account/time-zone",
        data={"csrf_token": token, "time_zone": "Africa/Tunis"},
        headers=FRENCH,
        follow_redirects=True,
    )
    said = " ".join(flashes(answer.get_data(as_text=True)))
    assert "Les rappels comptent désormais les jours selon le fuseau Africa/Tunis." in said


def test_a_refusal_from_the_operations_reads_in_french_at_its_field(running, as_user, session):
    cast, project = running
    b, base = in_french(as_user, cast.france), f"/projects/{project.id}"
    start = project.implementation_start.date()
    members = session.query(TeamMember).count()
    answer = submit(
        b, f"{base}/team", f"{base}/team",
        {"role": "rta", "name": "Paul Durand", "secondment_start": start.isoformat(),
         "secondment_end": (add_months(start, 8) - timedelta(days=1)).isoformat()},
    )  # fmt: skip
    assert answer.status_code == 422
    error = re.search(r'id="secondment_end-err">([^<]*)<', answer.get_data(as_text=True))
    assert html.unescape(error.group(1)).startswith(
        "le détachement du CRJ doit durer de 12 à 36 mois"
    )
    assert session.query(TeamMember).count() == members
