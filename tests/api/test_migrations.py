"""POST /workflows/<name>/migrations: administrators plan or apply a migration; others are
refused before their request is read; every bad field is named."""

import pytest
from sqlalchemy import select

from tests.api.conftest import error_of
from tests.workflow.editions import RENAMED, SHORTLIST, edition
from twinflow.audit.models import AuditEvent
from twinflow.projects.models import Project

PATH = "/workflows/twinning/migrations"


def _events(session) -> list[int]:
    return list(
        session.scalars(
            select(AuditEvent.project_id).where(AuditEvent.action == "workflow_migrated")
        )
    )


def test_an_administrator_gets_the_dry_run_report_and_nothing_changes(api, cast, session):
    project = cast.to("work_plan")
    version = edition(session, RENAMED)
    before = api.as_(cast.beneficiary).get(f"/projects/{project.id}").json

    response = api.as_(cast.admin).post(
        PATH, json={"to_version": version, "dry_run": True, "map": {"work_plan": "work_planning"}}
    )

    assert response.status_code == 200, response.json
    body = response.json
    assert body["dry_run"] is True and body["to_version"] == version
    assert body["summary"] == {"selected": 1, "would_migrate": 1, "refused": 0}
    (item,) = body["projects"]
    assert item["state"] == {"from": "work_plan", "to": "work_planning", "mapped_by": "map"}
    assert [d["key"] for d in item["deadlines"]["kept"]] == ["work_plan_agreed"]
    assert api.as_(cast.beneficiary).get(f"/projects/{project.id}").json == before
    assert _events(session) == []


def test_an_applied_run_answers_200_with_what_was_done(api, cast, session):
    project = cast.to("selection")
    version = edition(session, SHORTLIST)
    etag = api.as_(cast.beneficiary).get(f"/projects/{project.id}").headers["ETag"]

    response = api.as_(cast.admin).post(
        PATH, json={"to_version": version, "dry_run": False, "projects": [project.id]}
    )

    assert response.status_code == 200, response.json
    (item,) = response.json["projects"]
    assert item["outcome"] == "migrated"
    assert [d["key"] for d in item["deadlines"]["added"]] == ["shortlist_published"]
    assert all(isinstance(d["id"], int) for d in item["deadlines"]["added"])
    assert [d["key"] for d in item["deadlines"]["dropped"]] == ["selection_meeting"]
    assert response.json["summary"] == {"selected": 1, "migrated": 1, "refused": 0}
    shown = api.as_(cast.beneficiary).get(f"/projects/{project.id}")
    assert shown.json["workflow_version"] == version
    assert shown.headers["ETag"] != etag
    assert _events(session) == [project.id]


def test_a_refused_project_is_in_the_200_answer_with_its_reason(api, cast, session):
    cast.to("work_plan")
    version = edition(session, RENAMED)
    response = api.as_(cast.admin).post(PATH, json={"to_version": version, "dry_run": False})
    assert response.status_code == 200
    (item,) = response.json["projects"]
    assert item["outcome"] == "refused"
    assert "work_plan" in item["reasons"][0]
    assert response.json["summary"]["refused"] == 1
    assert session.get(Project, cast.project.id).workflow_version != version


@pytest.mark.parametrize("party", ["coordinator", "beneficiary", "france"])
def test_anyone_but_an_administrator_is_refused_before_the_body_is_read(api, cast, party, session):
    version = edition(session, SHORTLIST)
    client = api.as_(getattr(cast, party))
    valid = client.post(PATH, json={"to_version": version, "dry_run": False})
    nonsense = client.post(PATH, json={"to_version": 7})
    assert (valid.status_code, nonsense.status_code) == (403, 403)
    assert error_of(valid)["code"] == "forbidden"
    assert session.get(Project, cast.project.id).workflow_version != version


def test_a_body_of_the_wrong_shape_is_422_naming_each_field(api, cast):
    response = api.as_(cast.admin).post(
        PATH,
        json={"to_version": "", "projects": ["x", 0], "map": {"a": 5}, "colour": "blue"},
    )
    assert response.status_code == 422
    assert set(error_of(response)["details"]) == {
        "to_version",
        "projects.0",
        "projects.1",
        "map.a.value",
        "dry_run",
        "colour",
    }


def test_states_and_projects_that_cannot_be_are_422_naming_each(api, cast, make, session):
    light = make.project(cast.beneficiary, workflow="twinning_light")
    version = edition(session, RENAMED)
    response = api.as_(cast.admin).post(
        PATH,
        json={
            "to_version": version,
            "dry_run": True,
            "projects": [cast.project.id, light.id],
            "map": {"work_plan": "work_plan"},
        },
    )
    assert response.status_code == 422
    details = error_of(response)["details"]
    assert set(details) == {"map.work_plan", "projects.1"}
    assert "'work_plan' is not a state" in details["map.work_plan"][0]


def test_an_unknown_workflow_or_version_is_404(api, cast, session):
    version = edition(session, SHORTLIST)
    admin = api.as_(cast.admin)
    unknown = admin.post(
        "/workflows/twining/migrations", json={"to_version": version, "dry_run": True}
    )
    assert unknown.status_code == 404
    assert "twining" in error_of(unknown)["message"]
    missing = admin.post(PATH, json={"to_version": "0123456789abcdef", "dry_run": True})
    assert missing.status_code == 404
    assert "0123456789abcdef" in error_of(missing)["message"]


def test_the_openapi_document_describes_the_request_and_the_report(api, app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/workflows/{name}/migrations"]["post"]
    assert {"200", "403", "404", "422"} <= set(operation["responses"])
    schemas = spec["components"]["schemas"]
    assert set(schemas["MigrationRequest"]["required"]) == {"to_version", "dry_run"}
    assert {"projects", "summary", "already_current"} <= set(
        schemas["MigrationReport"]["properties"]
    )
