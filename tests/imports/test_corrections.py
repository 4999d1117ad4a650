"""PATCH /api/v1/projects/<id>: an imported record is corrected or completed later by a
coordinator or an administrator, with a reason; each change audited with before and after."""

import io
import json

import pytest
from sqlalchemy import select

from tests.api.conftest import ApiClient, error_of
from tests.imports.conftest import PORTFOLIO
from twinflow.audit.models import AuditEvent
from twinflow.projects.models import Project

BANK = "Support to the National Bank of Georgia in payment systems oversight"


@pytest.fixture
def api(app):
    return ApiClient(app.test_client())


@pytest.fixture
def imported(api, make, session):
    admin = make.user("admin")
    coordinator = make.user("coordinator")
    session.commit()
    response = api.as_(admin).post(
        "/imports", data={"file": (io.BytesIO(PORTFOLIO.read_bytes()), "portfolio.csv")}
    )
    assert response.status_code == 200, response.json
    bank = session.scalars(select(Project).where(Project.title == BANK)).one()
    return admin, coordinator, bank


def test_a_coordinator_completes_empty_fields_with_a_reason_audited_before_and_after(
    api, session, imported
):
    _, coordinator, bank = imported
    response = api.as_(coordinator).post(
        f"/projects/{bank.id}/corrections",
        json={
            "reason": "Completed from the NCP's 2009 annual report",
            "reference": "GE/08/ENP-PCA/FI/07",
            "beneficiary_institution": "National Bank of Georgia",
            "sector": "FI",
            "instrument": "ENPI",
            "budget_eur": 950000,
            "end": "2010-Q4",
            "lead_member_state": "DE",
            "junior_member_states": ["NL"],
        },
        headers={"If-Match": f'"{bank.version}"'},
    )
    assert response.status_code == 200, response.json
    assert response.json["changed"]["beneficiary_institution"] == {
        "before": None,
        "after": "National Bank of Georgia",
    }
    assert response.json["changed"]["reference"] == {
        "before": "GE-IMP-0001",
        "after": "GE/08/ENP-PCA/FI/07",
    }
    assert response.json["project"]["end_display"] == "Q4 2010"
    session.expire_all()
    stored = session.get(Project, bank.id)
    assert (stored.reference, stored.sector, stored.lead_member_state) == (
        "GE/08/ENP-PCA/FI/07",
        "FI",
        "DE",
    )
    assert stored.junior_member_states == ["NL"]
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.project_id == bank.id, AuditEvent.action == "particulars_updated"
        )
    ).one()
    data = json.loads(event.data)
    assert data["reason"] == "Completed from the NCP's 2009 annual report"
    assert data["changes"]["budget_eur"] == {"before": None, "after": "950000.00"}
    assert event.actor_email == coordinator.email


def test_a_correction_without_a_reason_is_refused_and_changes_nothing(api, session, imported):
    admin, _, bank = imported
    response = api.as_(admin).post(f"/projects/{bank.id}/corrections", json={"sector": "FI"})
    assert response.status_code == 422
    assert "reason" in error_of(response)["details"]
    session.expire_all()
    assert session.get(Project, bank.id).sector is None


def test_a_bad_value_is_named_by_field_and_an_empty_body_changes_nothing(api, session, imported):
    admin, _, bank = imported
    bad = api.as_(admin).post(
        f"/projects/{bank.id}/corrections", json={"reason": "x", "start": "2008-13"}
    )
    assert bad.status_code == 422
    assert "start" in error_of(bad)["details"]
    empty = api.as_(admin).post(f"/projects/{bank.id}/corrections", json={"reason": "nothing"})
    assert empty.status_code == 422
    assert error_of(empty)["details"]["changes"] == ["name at least one particular to change"]
    taken = api.as_(admin).post(
        f"/projects/{bank.id}/corrections", json={"reason": "typo", "reference": "ua 47 b"}
    )
    assert taken.status_code == 422
    assert "already the reference of project" in error_of(taken)["details"]["reference"][0]


def test_a_correction_on_a_stale_version_is_refused(api, imported):
    admin, _, bank = imported
    response = api.as_(admin).post(
        f"/projects/{bank.id}/corrections",
        json={"reason": "typo", "status_note": "Closed"},
        headers={"If-Match": f'"{bank.version + 5}"'},
    )
    assert response.status_code == 409


def test_others_may_not_correct_and_a_live_project_is_not_corrected_here(
    api, make, session, imported
):
    admin, coordinator, bank = imported
    beneficiary = make.user("beneficiary", country="GE", organisation="National Bank of Georgia")
    live = make.project(coordinator)
    session.commit()
    refused = api.as_(beneficiary).post(
        f"/projects/{bank.id}/corrections", json={"reason": "mine", "sector": "FI"}
    )
    # The record names no institution yet: no beneficiary administration sees it.
    assert refused.status_code == 404
    live_refused = api.as_(admin).post(
        f"/projects/{live.id}/corrections", json={"reason": "typo", "title": "Another"}
    )
    assert live_refused.status_code == 403
    session.expire_all()
    assert session.get(Project, live.id).title == "Strengthening the penitentiary system"
