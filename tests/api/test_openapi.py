"""The published contract: a valid OpenAPI document, served with its docs page, and a
schemathesis run over it that finds no server error and no answer outside the document."""

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from tests.factories import PASSWORD

SENT: Counter = Counter()
EXAMPLES_PER_OPERATION = 60  # x 17 operations >= 1,000 requests


def test_the_openapi_document_is_valid_and_documents_every_route(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    validate(spec)
    routes = {
        r.rule
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/") and "docs" not in r.rule
    }
    assert len(spec["paths"]) == len(routes) - 1  # all but openapi.json itself
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert "default" in operation["responses"], f"{method} {path}"


def test_the_docs_page_is_served_by_the_app_without_any_cdn(app):
    client = app.test_client()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "http" not in html  # every asset is local
    with client.get("/api/v1/docs/static/swagger-ui/swagger-ui-bundle.js") as bundle:
        assert bundle.status_code == 200 and b"SwaggerUIBundle" in bundle.get_data()


@pytest.fixture
def fuzz_target(app, make, backend):
    """A populated database (a project in selection, proposals, a pending approval) so that
    generated requests also meet real rows, and a coordinator's token."""
    from tests.factories import Cast

    cast = Cast(make)
    cast.to("selection")
    make.project(cast.coordinator, workflow="twinning_light")
    client = app.test_client()

    def token(user) -> str:
        response = client.post(
            "/api/v1/auth/token", json={"email": user.email, "password": PASSWORD}
        )
        return response.get_json()["token"]

    app.config["FUZZ_TOKEN"] = token(cast.coordinator)
    app.config["FUZZ_FRESH_TOKEN"] = lambda: token(cast.beneficiary)
    app.config["FUZZ_BACKEND"] = backend
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_generated_requests_get_no_server_error_and_only_documented_answers(fuzz_target, app):
    """Valid and invalid requests for every operation, as a coordinator (the widest rights);
    token revocation is fuzzed with throwaway tokens so the others keep working."""
    operations = [result.ok() for result in fuzz_target.get_all_operations()]
    assert len(operations) == 17
    for operation in operations:
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        @given(case=cases)
        def send(case):
            token = (
                app.config["FUZZ_FRESH_TOKEN"]()
                if case.method.upper() == "DELETE"
                else app.config["FUZZ_TOKEN"]
            )
            SENT[app.config["FUZZ_BACKEND"]] += 1
            case.call_and_validate(
                headers={"Authorization": f"Bearer {token}"},
                # The contract answers 422 to schema-valid data that breaks a rule (an unknown
                # sector, a budget too small for the workflow): "valid data -> 2xx" does not hold.
                excluded_checks=[positive_data_acceptance],
            )

        send()
    # Counted here, not in a separate test, so no ordering between tests is needed.
    assert SENT[app.config["FUZZ_BACKEND"]] >= 1000, SENT
