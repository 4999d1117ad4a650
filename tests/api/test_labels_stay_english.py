"""The API's labels are a contract read by programs: English, whatever language the client's
browser prefers, though the lifecycle files carry French too."""

import pytest

pytestmark = pytest.mark.usefixtures("backend")

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}


def test_the_api_answers_with_english_labels_even_to_a_french_client(cast, api):
    project = cast.to("selection")
    shown = api.as_(cast.coordinator).get("/workflows/twinning", headers=FRENCH).get_json()
    assert shown["title"] == "Twinning"
    labels = {s["name"]: s["label"] for s in shown["states"]}
    assert labels["fiche_drafting"] == "Fiche drafting" and labels["selection"] == "Selection"
    detail = api.as_(cast.coordinator).get(f"/projects/{project.id}", headers=FRENCH).get_json()
    options = {o["trigger"]: o["label"] for o in detail["options"]}
    assert options["select_partner"] == "Select the Member State partner"
