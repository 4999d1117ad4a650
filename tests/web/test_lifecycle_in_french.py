"""A French reader sees the lifecycle in French (state labels, steps, the diagram, the engine's
refusals), taken from the lifecycle files; the API keeps its English labels whatever the
client's language (tests/api/test_labels_stay_english.py)."""

import html
import re

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.usefixtures("backend")

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}


def _page(browser, user, path, headers=None):
    b = browser().sign_in(user)
    response = b.get(path, headers=headers or {})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _diagram(page: str) -> str:
    return re.search(r'<svg[^>]*data-testid="diagram".*?</svg>', page, re.S).group(0)


def test_the_project_page_and_its_diagram_read_in_french_for_a_french_reader(cast, browser):
    project = cast.to("selection")
    page = _page(browser, cast.coordinator, f"/projects/{project.id}", FRENCH)
    assert re.search(r'data-testid="project-state">Sélection</span>', page)
    diagram = _diagram(page)
    states = dict(re.findall(r'data-state="(\w+)">.*?<text[^>]*>([^<]*)</text>', diagram, re.S))
    assert html.unescape(states["selection"]) == "● en cours : Sélection"
    assert html.unescape(states["fiche_drafting"]) == "✓ Rédaction de la fiche"
    assert html.unescape(states["work_plan"]) == "Plan de travail"
    assert "Sélectionner le partenaire État membre</text>" in diagram
    desc = html.unescape(re.search(r"<desc[^>]*>(.*?)</desc>", diagram, re.S).group(1))
    assert desc.startswith("Le projet est à l’étape Sélection. Étapes franchies : Rédaction")
    assert "Cycle de vie d’un projet de type Jumelage" in diagram
    assert "Fiche drafting" not in diagram and "Selection" not in diagram


def test_the_same_page_stays_in_english_for_an_english_reader(cast, browser):
    project = cast.to("selection")
    page = _page(browser, cast.coordinator, f"/projects/{project.id}")
    assert 'data-testid="project-state">Selection</span>' in page
    assert "Rédaction de la fiche" not in page and "Sélection" not in page


def test_a_refusal_by_the_engine_reads_in_french_on_a_french_page(cast, browser, session):
    """Closing the call before its deadline: the guard's reason comes back in French."""
    project = cast.to("call_open")
    b = browser().sign_in(cast.coordinator)
    b.post("/language", {"language": "fr", "next": "/"})
    page = b.text(f"/projects/{project.id}")
    assert "L’appel est ouvert jusqu’à la date limite des propositions" in page
    session.refresh(project)
    assert project.state == "call_open"


def test_deadlines_are_named_in_the_readers_language_while_their_rows_keep_english(
    cast, browser, session
):
    """The row keeps the title its definition gave when it was set; a French page asks the
    project's definition for the French of the same deadline."""
    from twinflow.deadlines.models import Deadline

    project = cast.to("call_open")
    titles = set(session.scalars(select(Deadline.title).where(Deadline.project_id == project.id)))
    assert "Member State proposals due" in titles
    french = html.unescape(_page(browser, cast.coordinator, f"/projects/{project.id}", FRENCH))
    assert "Date limite des propositions des États membres" in french
    assert "Member State proposals due" not in french
    english = _page(browser, cast.coordinator, f"/projects/{project.id}")
    assert "Member State proposals due" in english


def test_the_dashboards_counts_by_state_name_each_state_in_the_readers_language(cast, browser):
    cast.to("selection")
    french = html.unescape(_page(browser, cast.coordinator, "/", FRENCH))
    assert re.search(r'class="badge state-selection">Sélection</span>', french)
    english = _page(browser, cast.coordinator, "/")
    assert re.search(r'class="badge state-selection">Selection</span>', english)
