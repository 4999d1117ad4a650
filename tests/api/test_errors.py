"""Whatever a client sends, the answer is a clear error in one shape, never a 500."""

import re

from tests.api.conftest import error_of

GOOD = {
    "title": "Better courts",
    "workflow": "twinning",
    "sector": "JH",
    "instrument": "ENI",
    "budget_eur": 900000,
    "implementation_months": 18,
}


def test_malformed_json_gets_400_in_the_error_shape(api, cast):
    answer = api.as_(cast.beneficiary).post(
        "/projects", data='{"title": ', content_type="application/json"
    )
    assert answer.status_code == 400
    assert error_of(answer)["details"] == {"body": ["Invalid JSON body."]}


def test_a_body_that_is_not_json_is_refused_as_such_not_as_missing_fields(api, cast):
    answer = api.as_(cast.beneficiary).post("/projects", data="title=x", content_type="text/plain")
    assert answer.status_code == 415
    error = error_of(answer)
    assert error["details"] == {"body": ["must be JSON (application/json), not text/plain"]}
    assert "Content-Type: application/json" in error["message"]


def test_a_form_encoded_transition_is_refused_saying_the_body_must_be_json(api, cast):
    project = cast.to("fiche_review")
    answer = api.as_(cast.coordinator).post(
        f"/projects/{project.id}/transitions",
        data={"trigger": "approve_fiche"},  # what curl -d sends without -H
    )
    assert answer.status_code == 415
    details = error_of(answer)["details"]
    assert list(details) == ["body"]
    assert "application/x-www-form-urlencoded" in details["body"][0]
    assert api.as_(cast.coordinator).get(f"/projects/{project.id}").json["state"] == "fiche_review"


def test_every_endpoint_taking_json_refuses_a_form_encoded_body(api, cast, app):
    spec = app.test_client().get("/api/v1/openapi.json").json
    client, checked = api.as_(cast.admin), 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            if "application/json" not in operation.get("requestBody", {}).get("content", {}):
                continue
            url = path.removeprefix("/api/v1")
            for name in re.findall(r"{(\w+)}", path):
                url = url.replace(f"{{{name}}}", "1")
            answer = client.request(method.upper(), url, data={"x": "1"})
            assert answer.status_code == 415, (method, path, answer.status_code)
            checked += 1
    assert checked >= 15


def test_an_empty_body_is_still_answered_with_every_missing_field(api, cast):
    answer = api.as_(cast.beneficiary).post("/projects")
    assert answer.status_code == 422
    missing = {"title", "workflow", "sector", "instrument", "budget_eur", "implementation_months"}
    assert set(error_of(answer)["details"]) == missing


def test_an_empty_project_title_gets_one_message(api, cast):
    answer = api.as_(cast.beneficiary).post("/projects", json=GOOD | {"title": ""})
    assert answer.status_code == 422
    assert error_of(answer)["details"] == {"title": ["must not be blank"]}


def test_unknown_fields_and_wrong_types_are_all_reported_together(api, cast, session):
    body = GOOD | {"budget_eur": "lots", "implementation_months": "18", "colour": "blue"}
    answer = api.as_(cast.beneficiary).post("/projects", json=body)
    assert answer.status_code == 422
    error = error_of(answer)
    assert error["code"] == "invalid_data"
    assert set(error["details"]) == {"budget_eur", "implementation_months", "colour"}
    assert error["details"]["colour"] == ["Unknown field."]


def test_rule_violations_name_each_field_and_change_nothing(api, cast):
    client = api.as_(cast.beneficiary)
    before = client.get("/projects").headers["X-Total-Count"]
    # Codes outside the document's enums are refused together; the rules of the workflow
    # (a Twinning's budget) are then checked on the values the document admits.
    body = GOOD | {"sector": "ZZ", "instrument": "XX", "budget_eur": 1000}
    answer = client.post("/projects", json=body)
    assert answer.status_code == 422
    assert set(error_of(answer)["details"]) == {"sector", "instrument"}
    answer = client.post("/projects", json=GOOD | {"budget_eur": 1000})
    assert answer.status_code == 422
    assert set(error_of(answer)["details"]) == {"budget_eur"}
    assert client.get("/projects").headers["X-Total-Count"] == before


def test_huge_numbers_nul_characters_and_bad_ids_are_client_errors(api, cast):
    client = api.as_(cast.coordinator)
    assert client.get("/projects/99999999999999999999999").status_code == 404
    assert client.get("/projects/0").status_code == 404
    assert client.get("/projects/abc").status_code == 404
    for body in (
        GOOD | {"budget_eur": 10**30},
        GOOD | {"implementation_months": 10**20},
        GOOD | {"title": "nul\x00byte"},
        GOOD | {"title": "\ud800"},
        GOOD | {"budget_eur": float("inf")},
        [GOOD],
    ):
        answer = client.post("/projects", json=body)
        assert answer.status_code == 422, (body, answer.json)
        assert error_of(answer)["details"]
    assert client.get("/projects?q=%00").status_code == 422
    assert client.get("/projects?page=10000000000").status_code == 422
    assert client.get("/projects?colour=blue").status_code == 422


def test_unknown_paths_and_methods_answer_in_the_error_shape(api, cast):
    client = api.as_(cast.coordinator)
    assert error_of(client.get("/nothing-here"))["code"] == "not_found"
    answer = client.request("PUT", "/projects")
    assert answer.status_code == 405
    assert "GET" in answer.headers["Allow"]
    assert error_of(answer)


def test_an_unknown_route_says_what_was_asked_and_where_the_routes_are(api, cast):
    answer = api.as_(cast.coordinator).get("/nothing-here")
    assert answer.status_code == 404 and answer.mimetype == "application/json"
    message = error_of(answer)["message"]
    assert "GET /api/v1/nothing-here" in message and "/api/v1/docs" in message
    assert "If you entered the URL manually" not in message
    refused = api.as_(cast.coordinator).request("PUT", "/projects")
    assert error_of(refused)["message"] == (
        "PUT /api/v1/projects is not allowed; this path answers GET, POST."
    )


def test_the_bare_api_prefix_answers_in_json_too(app):
    answer = app.test_client().get("/api")
    assert answer.status_code == 404 and answer.mimetype == "application/json"
    assert "/api/v1/docs" in answer.json["error"]["message"]


def test_a_date_too_far_in_the_future_is_refused_before_it_can_overflow(api, cast):
    project = cast.to("contracting")
    answer = api.as_(cast.coordinator).post(
        f"/projects/{project.id}/transitions",
        json={"trigger": "sign_contract", "data": {"implementation_start": "9999-12-01T00:00:00Z"}},
    )
    assert answer.status_code == 422
    assert "data.implementation_start" in error_of(answer)["details"]
