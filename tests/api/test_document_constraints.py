"""The OpenAPI document states what the server enforces: vocabularies read from the lifecycles
and the reference data when the app starts, and a body the document requires is required."""

from twinflow.reference import default_reference


def _list_parameters(app) -> dict:
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    return {p["name"]: p["schema"] for p in spec["paths"]["/api/v1/projects"]["get"]["parameters"]}


def test_the_list_filters_are_enums_of_the_lifecycles_and_the_reference_data(app):
    parameters = _list_parameters(app)
    reference = default_reference()
    assert parameters["type"]["enum"] == ["twinning", "twinning_light"]
    assert parameters["sector"]["enum"] == list(reference.sectors)
    assert "ST" in parameters["sector"]["enum"]  # statistics, refused by the old closed list
    assert "ENPI" in parameters["instrument"]["enum"]
    assert {"EL", "XK", "UK", "GR", "ge"} <= set(parameters["country"]["enum"])
    assert {"fiche_drafting", "closed", "cancelled"} <= set(parameters["state"]["enum"])
    assert "-start" in parameters["sort"]["enum"]
    assert parameters["year_from"]["minimum"] == 1950


def test_text_and_dates_carry_the_patterns_the_server_applies(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    title = schemas["ProjectCreate"]["properties"]["title"]
    assert "\\x00-\\x08" in title["pattern"]  # control characters refused
    day = schemas["ActivityCreate"]["properties"]["planned_start"]
    assert day["pattern"].startswith("^((19")  # 1900-2200


def test_a_patch_without_a_body_is_refused_and_changes_nothing(api, cast, session):
    project = cast.project
    version = project.version
    answer = api.as_(cast.beneficiary).patch(f"/projects/{project.id}")
    assert answer.status_code == 422
    assert answer.json["error"]["details"] == {"body": ["is required: send a JSON object"]}
    session.refresh(project)
    assert project.version == version
