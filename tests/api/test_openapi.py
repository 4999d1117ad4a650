"""The published contract: a valid OpenAPI document, served with its docs page, and a
schemathesis run over it with every check: no server error, no answer outside the document, no
schema-violating request accepted and no schema-valid one refused."""

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import PASSWORD

SENT: Counter = Counter()
EXAMPLES_PER_OPERATION = 25  # x 72 operations: about 1,800 requests a backend
OPERATIONS = 72


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
    """A populated database (a project in selection, proposals, a pending approval; another in
    implementation with every kind of record) so that generated requests also meet real rows,
    and a coordinator's token."""
    from tests.factories import Cast

    cast = Cast(make)
    cast.to("selection")
    make.project(cast.coordinator, workflow="twinning_light")
    _with_records(Cast(make), app)
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


def _with_records(cast, app) -> None:
    """Ids 1 of components, results, indicators, activities, reports, changes, meetings and
    documents: generated paths often use small ids."""
    import io

    from twinflow.activities import operations as activities
    from twinflow.changes import operations as changes
    from twinflow.documents import operations as documents
    from twinflow.reports import operations as reports
    from twinflow.results import operations as results
    from twinflow.services import get_storage, get_upload_limits
    from twinflow.steering import operations as steering
    from twinflow.team import operations as team

    s, e, who = cast.make.session, cast.make.engine, cast.beneficiary
    project = cast.to("contracting")
    component = results.add_component(s, e, who, project.id, {"title": "Probation"})
    result = results.add_result(s, e, who, component.id, {"title": "Service set up"})
    values = {"name": "Officers trained", "baseline": 0, "target": 100}
    results.add_indicator(s, e, who, result.id, values)
    cast.to("implementation")
    day = project.implementation_start.date()
    activity = {"kind": "training", "title": "T", "planned_start": day, "planned_end": day}
    activities.plan_activity(s, e, who, project.id, activity)
    team.add_team_member(s, e, who, project.id, {"role": "rta_counterpart", "name": "N. B."})
    reports.create_report(s, e, who, project.id, {"kind": "interim", "number": 1})
    change = {"title": "Swap", "justification": "Experts", "changes": {}}
    changes.create_change(s, e, who, project.id, "side_letter", change)
    cast.make.clock.advance(days=10)
    steering.record_meeting(s, e, who, project.id, {"held_on": day, "attendees": ["A"]})
    with app.app_context():
        documents.upload_document(
            s, e, get_storage(), who, project.id, stream=io.BytesIO(b"%PDF-1.7 fuzz"),
            filename="fiche.pdf", content_type="application/pdf", category="fiche",
            limits=get_upload_limits(),
        )  # fmt: skip


# Rules OpenAPI 3.0 cannot state, each with the fields a 422 may then name: who the caller is
# (a coordinator names the beneficiary), a value's relation to another one or to now, a record
# of this very project, the keys of an open mapping. A schema-valid request answered 422 for
# any other field, or by any other operation, fails the run.
RULES_BEYOND_THE_DOCUMENT = {
    ("POST", "/api/v1/projects"): {
        "beneficiary_country",  # required of coordinators, not of beneficiaries
        "beneficiary_institution",
        "budget_eur",  # a Twinning above EUR 250,000, a Twinning Light up to it
        "implementation_months",  # 12-36 months for a Twinning, up to 8 for a Light
        "contracting_authority_id",  # an organisation of that kind
        "management_mode",  # indirect needs a contracting authority
    },
    ("GET", "/api/v1/audit"): {"until"},  # later than since
    ("POST", "/api/v1/approvals/{approval_id}"): {"comment"},  # required to reject
    ("POST", "/api/v1/projects/{project_id}/reports"): {"number"},  # interim reports only
    ("POST", "/api/v1/projects/{project_id}/documents"): {"report_id", "filename"},
    ("POST", "/api/v1/projects/{project_id}/deadlines/{deadline_id}/move"): {"due_at"},  # future
    # The trigger's own data, and its comment where the trigger requires one (cancel).
    ("POST", "/api/v1/projects/{project_id}/transitions"): {"data", "comment"},
    ("PUT", "/api/v1/projects/{project_id}/fiche"): {"sections"},  # the fiche's own sections
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]


def _beyond_the_document(case, response) -> bool:
    """A 422 naming only fields whose rule the document cannot state for this operation."""
    allowed = RULES_BEYOND_THE_DOCUMENT.get((case.method.upper(), case.path))
    if not allowed or response.status_code != 422:
        return False
    details = response.json()["error"]["details"]
    return all(name.split(".")[0] in allowed for name in details)


def test_generated_requests_meet_every_check_of_the_document(fuzz_target, app):
    """Valid and invalid requests for every operation, as a coordinator (the widest rights),
    under every check of `schemathesis run --checks all`: no server error, only documented
    statuses, content types and bodies, every schema-violating request refused and every
    schema-valid one accepted (but for RULES_BEYOND_THE_DOCUMENT). Token revocation is
    fuzzed with throwaway tokens so the others keep working."""
    operations = [result.ok() for result in fuzz_target.get_all_operations()]
    assert len(operations) == OPERATIONS
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
            headers = {"Authorization": f"Bearer {token}"}
            response = case.call(headers=headers)
            excluded = [positive_data_acceptance] if _beyond_the_document(case, response) else []
            case.validate_response(
                response, checks=CHECKS, excluded_checks=excluded, headers=headers
            )

        send()
    # Counted here, not in a separate test, so no ordering between tests is needed.
    assert SENT[app.config["FUZZ_BACKEND"]] >= 1000, SENT
