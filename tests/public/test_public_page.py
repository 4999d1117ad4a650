"""The public project page shows what EU Neighbours East shows of a project, filed by a
coordinator through the corrections path, and nothing a visitor should not read."""

import json
import re
from datetime import date
from html import unescape

import pytest


@pytest.fixture
def running(cast, make, api):
    """A project in implementation, France leading with Lithuania as junior, filed by the
    coordinator (a live project: no reason needed) and dated to a quarter."""
    project = cast.to("implementation")
    cast.proposal.junior_member_states = ["LT"]
    project.start_on, project.start_precision = date(2027, 7, 1), "quarter"
    make.session.commit()
    response = api.as_(cast.coordinator).post(
        f"/projects/{project.id}/corrections",
        json={"priority_area": "governance", "subsector": "justice", "topic": "Prison reform"},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["project"]["subsector"] == "justice"
    return project


def fact(page: str, name: str) -> str:
    found = re.search(rf'data-testid="{name}"><dt>[^<]*</dt><dd>(.*?)</dd>', page, re.S)
    assert found, name
    return unescape(found.group(1)).strip()


def test_the_public_page_shows_the_filing_the_countries_apart_the_status_and_the_dates(
    running, visitor
):
    page = visitor.text(f"/public/projects/{running.id}")
    assert fact(page, "priority-area") == "Stronger governance"
    assert fact(page, "subsector") == "Justice and rule of law"
    assert fact(page, "topic") == "Prison reform"
    assert fact(page, "beneficiary-country") == "Georgia"
    assert fact(page, "beneficiary-institution") == "Ministry of Justice of Georgia"
    assert fact(page, "lead-member-state") == "France — Administration of FR"
    assert fact(page, "junior-member-states") == "Lithuania"
    assert fact(page, "status") == "Ongoing: the partners are implementing the project"
    assert fact(page, "start") == "Q3 2027"
    assert fact(page, "budget") == "EUR 1,500,000"
    assert "Georgia, France, Lithuania" in page
    assert "Sign out" not in page


def test_the_map_is_drawn_from_shapes_the_app_serves_with_each_countrys_part(running, visitor):
    page = visitor.text(f"/public/projects/{running.id}")
    places = json.loads(re.search(r'id="map-places">(.*?)</script>', page, re.S).group(1))
    assert [(p["code"], p["role"], p["numeric"]) for p in places] == [
        ("GE", "beneficiary", "268"),
        ("FR", "lead", "250"),
        ("LT", "junior", "440"),
    ]
    shapes = re.search(r'data-shapes="([^"]+)"', page).group(1)
    assert shapes.startswith("/")  # the app's own file: no tile server, no CDN
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert any("leaflet" in s for s in scripts)
    for path in [shapes, *scripts]:
        assert path.startswith("/")
        response = visitor.get(path)
        response.close()
        assert response.status_code == 200, path


def test_a_subsector_of_another_priority_area_is_refused_by_name(running, api, cast):
    response = api.as_(cast.coordinator).post(
        f"/projects/{running.id}/corrections", json={"subsector": "energy"}
    )
    assert response.status_code == 422
    reasons = response.get_json()["error"]["details"]["subsector"]
    assert "is not a subsector of the priority area governance" in reasons[0]
    assert api.as_(cast.coordinator).get(f"/projects/{running.id}").get_json()["subsector"] == (
        "justice"
    )


def test_only_coordinators_and_administrators_file_a_live_project(running, api, cast):
    response = api.as_(cast.beneficiary).post(
        f"/projects/{running.id}/corrections", json={"topic": "Something else"}
    )
    assert response.status_code == 403
    # The other particulars of a live project still follow its lifecycle.
    response = api.as_(cast.coordinator).post(
        f"/projects/{running.id}/corrections", json={"topic": "Courts", "title": "Renamed"}
    )
    assert response.status_code == 403
    assert api.as_(cast.admin).get(f"/projects/{running.id}").get_json()["topic"] == (
        "Prison reform"
    )


def test_the_gallery_page_files_the_project_for_its_public_page(running, as_user, cast, visitor):
    coordinator = as_user(cast.coordinator)
    path = f"/projects/{running.id}/gallery"
    response = coordinator.post(
        f"{path}/filing",
        {"priority_area": "connectivity", "subsector": "energy", "topic": ""},
        token_from=path,
    )
    assert response.status_code == 303
    page = visitor.text(f"/public/projects/{running.id}")
    assert fact(page, "subsector") == "Energy and energy efficiency"
    assert fact(page, "topic") == "—"
    refused = coordinator.post(
        f"{path}/filing", {"priority_area": "society", "subsector": "energy"}, token_from=path
    )
    assert refused.status_code == 422
    assert "is not a subsector of the priority area society" in unescape(
        refused.get_data(as_text=True)
    )


def test_a_subsector_without_its_priority_area_is_refused(cast, api):
    response = api.as_(cast.coordinator).post(
        f"/projects/{cast.project.id}/corrections", json={"subsector": "justice"}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["subsector"] == [
        "needs its priority area: give priority_area too"
    ]
