"""The fiche over the API: drafting, revisions frozen at each submission, a return with comments
on sections, the particulars until the call opens, and what a Member State may read."""

import json

from sqlalchemy import select

from tests.api.conftest import error_of
from twinflow.audit.models import AuditEvent

TEXT = {
    "context": "The penitentiary system lacks a probation service.",
    "overall_objective": "Safer prisons.",
    "components": [
        {
            "title": "Probation",
            "results": [{"title": "A probation service", "indicators": ["20 officers trained"]}],
        }
    ],
}


def put(client, pid, sections, etag='"0"'):
    return client.request(
        "PUT", f"/projects/{pid}/fiche", json={"sections": sections}, headers={"If-Match": etag}
    )


def fire(client, pid, trigger, **body):
    response = client.post(f"/projects/{pid}/transitions", json={"trigger": trigger, **body})
    assert response.status_code == 200, response.json
    return response.json


def test_a_returned_fiche_is_edited_and_resubmitted_as_revision_2(api, cast):
    beneficiary, coordinator = api.as_(cast.beneficiary), api.as_(cast.coordinator)
    pid = cast.project.id
    saved = put(beneficiary, pid, TEXT)
    assert saved.status_code == 200, saved.json
    assert saved.json["sections"]["context"] == TEXT["context"]
    assert saved.json["revision"] is None
    fire(beneficiary, pid, "submit_fiche")

    # Read-only in review, for the beneficiary as for anyone.
    refused = put(beneficiary, pid, TEXT, etag=saved.headers["ETag"])
    assert refused.status_code == 409
    assert "read-only" in error_of(refused)["message"]

    returned = coordinator.post(
        f"/projects/{pid}/transitions",
        json={"trigger": "return_fiche", "comment": "Please quantify the objectives."},
    )
    assert returned.status_code == 200, returned.json
    fiche = beneficiary.get(f"/projects/{pid}/fiche")
    assert fiche.json["editable"] is True and fiche.json["revision"] == 1
    edited = put(
        beneficiary,
        pid,
        TEXT | {"overall_objective": "Reoffending down by 10%."},
        etag=fiche.headers["ETag"],
    )
    assert edited.status_code == 200, edited.json
    fire(beneficiary, pid, "submit_fiche")

    listed = beneficiary.get(f"/projects/{pid}/fiche/revisions").json
    assert [(r["number"], r["status"]) for r in listed] == [(1, "returned"), (2, "in_review")]
    first = beneficiary.get(f"/projects/{pid}/fiche/revisions/1").json
    second = beneficiary.get(f"/projects/{pid}/fiche/revisions/2").json
    assert first["sections"]["overall_objective"] == "Safer prisons."
    assert second["sections"]["overall_objective"] == "Reoffending down by 10%."
    assert second["particulars"]["title"] == cast.project.title


def test_a_stale_etag_is_refused_and_changes_nothing(api, cast):
    beneficiary = api.as_(cast.beneficiary)
    pid = cast.project.id
    first = put(beneficiary, pid, TEXT)
    assert first.status_code == 200
    stale = put(beneficiary, pid, {"context": "Overwritten?"}, etag='"0"')
    assert stale.status_code == 409
    assert error_of(stale)["code"] == "stale_version"
    assert beneficiary.get(f"/projects/{pid}/fiche").json["sections"]["context"] == TEXT["context"]


def test_a_bad_fiche_is_refused_naming_each_field(api, cast):
    beneficiary = api.as_(cast.beneficiary)
    pid = cast.project.id
    response = put(
        beneficiary,
        pid,
        {
            "context": "x" * 20001,
            "duration": "two\x00years",
            "components": [{"results": [{"title": "ok", "indicators": [7]}]}],
            "budget_table": "?",
        },
    )
    assert response.status_code == 422
    details = error_of(response)["details"]
    assert set(details) == {
        "sections.context",
        "sections.duration",
        "sections.components.0.title",
        "sections.components.0.results.0.indicators.0",
        "sections.budget_table",
    }
    assert "NUL" in details["sections.duration"][0]
    assert beneficiary.get(f"/projects/{pid}/fiche").json["sections"]["context"] == ""


def test_the_particulars_change_until_the_call_opens_each_change_audited(api, cast, make):
    beneficiary, coordinator = api.as_(cast.beneficiary), api.as_(cast.coordinator)
    pid = cast.project.id
    etag = beneficiary.get(f"/projects/{pid}").headers["ETag"]
    changed = beneficiary.patch(
        f"/projects/{pid}",
        json={"title": "Probation in Georgia", "budget_eur": 1_800_000},
        headers={"If-Match": etag},
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["title"] == "Probation in Georgia"
    assert changed.json["budget_eur"] == "1800000.00"
    assert changed.headers["ETag"] != etag
    event = make.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "particulars_changed")
    ).one()
    assert json.loads(event.data)["changes"] == {
        "title": {"from": "Strengthening the penitentiary system", "to": "Probation in Georgia"},
        "budget_eur": {"from": "1500000.00", "to": "1800000.00"},
    }
    stale = beneficiary.patch(f"/projects/{pid}", json={"title": "X"}, headers={"If-Match": etag})
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_version"

    fire(beneficiary, pid, "submit_fiche")
    fire(coordinator, pid, "approve_fiche")
    after = beneficiary.patch(f"/projects/{pid}", json={"title": "Too late"})
    assert after.status_code == 409
    assert "until the call opens" in error_of(after)["message"]
    assert beneficiary.get(f"/projects/{pid}").json["title"] == "Probation in Georgia"


def test_bad_particulars_are_refused_naming_each_field(api, cast):
    beneficiary = api.as_(cast.beneficiary)
    pid = cast.project.id
    response = beneficiary.patch(
        f"/projects/{pid}",
        json={
            "title": " ",
            "sector": "XX",
            "implementation_months": 60,
            "beneficiary_institution": "Ministry of Finance of Georgia",
            "reference": "GE 1",
        },
    )
    assert response.status_code == 422
    assert set(error_of(response)["details"]) == {"title", "reference"}
    response = beneficiary.patch(
        f"/projects/{pid}",
        json={
            "sector": "XX",
            "implementation_months": 60,
            "beneficiary_institution": "Ministry of Finance of Georgia",
        },
    )
    details = error_of(response)["details"]
    assert set(details) == {"sector", "implementation_months", "beneficiary_institution"}
    assert "only a coordinator" in details["beneficiary_institution"][0]
    assert "36" in details["implementation_months"][0]


def test_a_member_state_reads_only_the_approved_revision_never_a_draft(api, cast):
    beneficiary, coordinator = api.as_(cast.beneficiary), api.as_(cast.coordinator)
    france = api.as_(cast.france)
    pid = cast.project.id
    put(beneficiary, pid, TEXT | {"context": "DRAFT-ONE"})
    assert france.get(f"/projects/{pid}/fiche").status_code == 404
    fire(beneficiary, pid, "submit_fiche")
    coordinator.post(
        f"/projects/{pid}/transitions", json={"trigger": "return_fiche", "comment": "More."}
    )
    etag = beneficiary.get(f"/projects/{pid}/fiche").headers["ETag"]
    put(beneficiary, pid, TEXT | {"context": "APPROVED-TWO"}, etag=etag)
    fire(beneficiary, pid, "submit_fiche")
    assert france.get(f"/projects/{pid}/fiche").status_code == 404
    fire(coordinator, pid, "approve_fiche")

    fiche = france.get(f"/projects/{pid}/fiche")
    assert fiche.status_code == 200
    assert fiche.json["revision"] == 2 and fiche.json["sections"]["context"] == "APPROVED-TWO"
    assert [r["number"] for r in france.get(f"/projects/{pid}/fiche/revisions").json] == [2]
    assert france.get(f"/projects/{pid}/fiche/revisions/1").status_code == 404
    assert france.get(f"/projects/{pid}/fiche/revisions/2").json["status"] == "approved"
    assert france.request("PUT", f"/projects/{pid}/fiche", json={"sections": {}}).status_code == 403
    assert france.patch(f"/projects/{pid}", json={"title": "Ours"}).status_code == 403
    # The beneficiary still reads both; the other administration reads nothing.
    assert len(beneficiary.get(f"/projects/{pid}/fiche/revisions").json) == 2
    other = api.as_(cast.other_beneficiary)
    assert other.get(f"/projects/{pid}/fiche").status_code == 404


def test_a_coordinator_edits_for_the_beneficiary_and_an_administrator_only_reads(api, cast):
    coordinator, admin = api.as_(cast.coordinator), api.as_(cast.admin)
    pid = cast.project.id
    saved = put(coordinator, pid, {"context": "Written with the Delegation."})
    assert saved.status_code == 200, saved.json
    assert saved.json["editable"] is True
    renamed = coordinator.patch(
        f"/projects/{pid}", json={"beneficiary_institution": "Ministry of Justice (Georgia)"}
    )
    assert renamed.status_code == 200, renamed.json
    assert admin.get(f"/projects/{pid}/fiche").json["sections"]["context"] == (
        "Written with the Delegation."
    )
    assert put(admin, pid, {}, etag=saved.headers["ETag"]).status_code == 403
    assert admin.patch(f"/projects/{pid}", json={"title": "Admin's"}).status_code == 403


def test_the_fiche_of_a_record_that_states_no_budget_reads_and_resubmits_with_an_empty_budget(
    api, cast, session
):
    """Imported history may leave the budget empty: its fiche still reads, and a frozen
    revision keeps the budget empty rather than failing."""
    cast.project.budget_eur = None
    session.commit()
    beneficiary, pid = api.as_(cast.beneficiary), cast.project.id
    fiche = beneficiary.get(f"/projects/{pid}/fiche")
    assert fiche.status_code == 200, fiche.json
    assert fiche.json["particulars"]["budget_eur"] is None
    saved = put(beneficiary, pid, TEXT, etag=fiche.headers["ETag"])
    assert saved.status_code == 200, saved.json
    submitted = beneficiary.post(f"/projects/{pid}/transitions", json={"trigger": "submit_fiche"})
    assert submitted.status_code == 200, submitted.json
    revision = beneficiary.get(f"/projects/{pid}/fiche/revisions/1")
    assert revision.status_code == 200, revision.json
    assert revision.json["particulars"]["budget_eur"] is None
