"""A coordinator sees and acts only on the projects of the countries its organisation covers:
pages, lists, search, API, calendar and notices follow the one rule; the headquarters and
administrators see every country. (tests/security walks every route as a coordinator of
another Delegation.)"""

from sqlalchemy import select

from tests.api.conftest import error_of
from tests.web.conftest import Browser
from twinflow.deadlines.calendar import issue_calendar_token
from twinflow.notifications.models import Notification
from twinflow.projects.models import Project
from twinflow.projects.permissions import can_view_project, visible_projects_clause


def _visible(session, user) -> set[int]:
    return set(session.scalars(select(Project.id).where(visible_projects_clause(user))))


def test_the_delegation_to_armenia_finds_a_georgian_project_nowhere(app, api, delegations, make):
    d = delegations
    p = d.cast.to("implementation")
    title, reference = p.title, p.reference
    other = Browser(app).sign_in(d.am)
    assert other.get(f"/projects/{p.id}").status_code == 404
    for page in ("/", "/projects", f"/projects?q={reference.split()[0]}", "/approvals"):
        assert title not in other.text(page) and reference not in other.text(page), page
    client = api.as_(d.am)
    assert client.get(f"/projects/{p.id}").status_code == 404
    assert client.get(f"/projects/{p.id}/audit").status_code == 404
    assert client.get("/projects").json == []
    assert client.get("/projects?q=penitentiary").json == []
    assert client.get("/approvals?status=all").json == []
    token = issue_calendar_token(make.session, d.am, now=make.clock.now())
    feed = Browser(app).get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert "BEGIN:VCALENDAR" in feed and reference not in feed
    # Georgia's coordinator finds it in every one of those places.
    mine = Browser(app).sign_in(d.ge)
    assert title in mine.text("/projects") and title in mine.text("/projects?q=penitentiary")
    assert [x["id"] for x in api.as_(d.ge).get("/projects?q=penitentiary").json] == [p.id]
    token = issue_calendar_token(make.session, d.ge, now=make.clock.now())
    assert reference in Browser(app).get(f"/calendar/{token}.ics").get_data(as_text=True)


def test_the_headquarters_and_administrators_see_every_country(delegations, make, session):
    d = delegations
    armenian = make.project(d.cast.other_beneficiary, title="Public internal financial control")
    assert armenian.beneficiary_country == "AM"
    every = {d.project.id, armenian.id}
    assert _visible(session, d.cast.coordinator) == every  # the headquarters
    assert _visible(session, d.cast.admin) == every
    assert _visible(session, d.ge) == {d.project.id} and _visible(session, d.am) == {armenian.id}
    for user in (d.cast.coordinator, d.cast.admin, d.ge, d.am):
        for project in (d.project, armenian):
            assert can_view_project(user, project) == (project.id in _visible(session, user))


def test_a_coordinator_in_no_organisation_sees_no_project(delegations, session):
    d = delegations
    d.ge.organisation_id = None
    session.commit()
    session.refresh(d.ge)
    assert _visible(session, d.ge) == set()
    assert not can_view_project(d.ge, d.project)


def test_a_coordinator_cannot_act_on_a_project_outside_its_countries(api, delegations, session):
    d = delegations
    d.cast.to("fiche_review")
    refused = api.as_(d.am).post(
        f"/projects/{d.project.id}/transitions", json={"trigger": "approve_fiche"}
    )
    assert refused.status_code == 404
    assert error_of(refused)["code"] == "not_found"
    session.refresh(d.project)
    assert d.project.state == "fiche_review"
    assert d.cast.make.engine.parties(session, d.am, d.project) == []
    done = api.as_(d.ge).post(
        f"/projects/{d.project.id}/transitions", json={"trigger": "approve_fiche"}
    )
    assert done.status_code == 200, done.json


def test_a_coordinator_creates_projects_only_for_the_countries_it_covers(api, delegations):
    body = {
        "title": "Customs risk management",
        "workflow": "twinning",
        "sector": "FI",
        "instrument": "ENI",
        "budget_eur": 1_000_000,
        "implementation_months": 24,
        "beneficiary_country": "GE",
        "beneficiary_institution": "Revenue Service of Georgia",
    }
    refused = api.as_(delegations.am).post("/projects", json=body)
    assert refused.status_code == 422
    assert error_of(refused)["details"] == {
        "beneficiary_country": ["is not a country your organisation covers"]
    }
    created = api.as_(delegations.am).post("/projects", json=body | {"beneficiary_country": "MD"})
    assert created.status_code == 201, created.json


def test_only_the_coordinators_covering_the_country_are_told(delegations, session):
    d = delegations
    d.cast.to("fiche_review")  # submit_fiche tells the coordinators
    told = set(
        session.scalars(select(Notification.user_id).where(Notification.project_id == d.project.id))
    )
    assert {d.ge.id, d.cast.coordinator.id} <= told
    assert d.am.id not in told


def test_moving_a_coordinator_to_another_delegation_moves_what_it_sees(api, delegations):
    d = delegations
    admin = api.as_(d.cast.admin)
    assert api.as_(d.am).get(f"/projects/{d.project.id}").status_code == 404
    moved = admin.patch(f"/users/{d.am.id}", json={"organisation_id": d.georgia.id})
    assert moved.status_code == 200, moved.json
    assert moved.json["organisation_id"] == d.georgia.id
    assert api.as_(d.am).get(f"/projects/{d.project.id}").status_code == 200
