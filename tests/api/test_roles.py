"""Every endpoint x every role: allowed, or refused with the right status.

Refusals change nothing, so each scenario asks the refused roles first and the allowed last;
404 means the caller may not even know the project exists."""

from datetime import timedelta

import pytest

from tests.api.conftest import error_of

ROLES = (
    "anonymous",
    "admin",
    "coordinator",
    "beneficiary",
    "other_beneficiary",
    "france",
    "germany",
)


def _ask(api, cast, method, path, expected: dict, body=None):
    # Allowed (2xx) roles go last: their calls may change what the others would see.
    order = sorted(expected, key=lambda role: expected[role] < 300)
    assert set(expected) == set(ROLES)
    got = {}
    for role in order:
        client = api if role == "anonymous" else api.as_(getattr(cast, role))
        kwargs = {"json": body} if body is not None else {}
        response = client.request(method, path, **kwargs)
        got[role] = response.status_code
        if response.status_code >= 400:
            assert set(response.get_json()["error"]) == {"code", "message", "details"}
    assert got == expected


def everyone(status, anonymous=401, **overrides):
    return {role: status for role in ROLES} | {"anonymous": anonymous} | overrides


@pytest.fixture
def draft(make, cast):
    return make.project(cast.beneficiary)


def test_workflows_are_readable_by_every_signed_in_user(api, cast):
    _ask(api, cast, "GET", "/workflows", everyone(200))
    _ask(api, cast, "GET", "/workflows/twinning", everyone(200))


def test_creating_projects_is_for_beneficiaries_and_coordinators(api, cast):
    body = {
        "title": "Better courts",
        "workflow": "twinning",
        "sector": "JH",
        "instrument": "ENI",
        "budget_eur": 900000,
        "implementation_months": 18,
    }
    # The coordinator must name the beneficiary administration: 422 without it.
    expected = everyone(403, coordinator=422, beneficiary=201, other_beneficiary=201)
    _ask(api, cast, "POST", "/projects", expected, body)


def test_a_draft_is_seen_only_by_its_administration_coordinators_and_admins(api, cast, draft):
    hidden = {"other_beneficiary": 404, "france": 404, "germany": 404}
    _ask(api, cast, "GET", f"/projects/{draft.id}", everyone(200, **hidden))
    _ask(api, cast, "GET", f"/projects/{draft.id}/audit", everyone(200, **hidden))
    _ask(api, cast, "GET", "/projects", everyone(200))


def test_only_the_beneficiary_submits_its_fiche(api, cast, draft):
    expected = everyone(403, beneficiary=200, other_beneficiary=404, france=404, germany=404)
    _ask(
        api,
        cast,
        "POST",
        f"/projects/{draft.id}/transitions",
        expected,
        {"trigger": "submit_fiche"},
    )


def test_only_member_states_propose_during_an_open_call(api, cast):
    project = cast.to("call_open")
    body = {"project_leader": "A. Leader", "rta_name": "R. Adviser"}
    expected = everyone(403, other_beneficiary=404, france=201, germany=201)
    _ask(api, cast, "POST", f"/projects/{project.id}/proposals", expected, body)
    _ask(
        api, cast, "GET", f"/projects/{project.id}/proposals", everyone(200, other_beneficiary=404)
    )


def test_only_the_proposing_member_state_amends_its_proposal(api, cast, make):
    project = cast.to("call_open")
    proposal = make.proposal(cast.france, project)
    path = f"/projects/{project.id}/proposals/{proposal.id}"
    expected = everyone(403, other_beneficiary=404, germany=404, france=200)
    _ask(api, cast, "PATCH", path, expected, {"summary": "Amended"})


def test_beneficiary_and_coordinators_select_the_partner(api, cast):
    project = cast.to("selection")
    path = f"/projects/{project.id}/proposals/{cast.proposal.id}/select"
    expected = everyone(403, other_beneficiary=404, beneficiary=200, coordinator=200)
    _ask(api, cast, "POST", path, expected)


def test_an_approval_is_decided_only_by_the_party_it_waits_for(api, cast, make):
    project = cast.to("selection")
    make.select(cast.coordinator, project, cast.proposal)
    approval = make.fire(cast.beneficiary, project, "select_partner").approval
    _ask(api, cast, "GET", "/approvals", everyone(200))
    # The beneficiary asked (so approved already): 409; others are not owed: 403; the choice
    # of the partner is not for Member States to read, nor to know of: 404.
    expected = everyone(
        403, other_beneficiary=404, france=404, germany=404, beneficiary=409, coordinator=200
    )
    _ask(api, cast, "POST", f"/approvals/{approval.id}", expected, {"decision": "approve"})


def test_the_whole_audit_trail_is_for_administrators(api, cast):
    _ask(api, cast, "GET", "/audit", everyone(403, admin=200))
    _ask(api, cast, "GET", "/audit/verify", everyone(403, admin=200))


def test_every_signed_in_user_may_revoke_its_own_token(api, cast):
    _ask(api, cast, "DELETE", "/auth/token", everyone(204))


IMPLEMENTATION_LISTS = (
    "reports",
    "changes",
    "team",
    "activities",
    "components",
    "progress",
    "steering-meetings",
)


def test_implementation_records_are_for_the_projects_parties_and_administrators(api, cast, clock):
    project = cast.to("implementation")
    # Germany sees the public project but was not selected: its records are not for Germany.
    for name in IMPLEMENTATION_LISTS:
        expected = everyone(200, other_beneficiary=404, germany=403)
        _ask(api, cast, "GET", f"/projects/{project.id}/{name}", expected)
    documents = everyone(200, other_beneficiary=404)
    _ask(api, cast, "GET", f"/projects/{project.id}/documents", documents)
    clock.set(project.implementation_start + timedelta(days=30))
    held = {"held_on": (project.implementation_start + timedelta(days=20)).date().isoformat()}
    expected = everyone(403, other_beneficiary=404, coordinator=201, beneficiary=201, france=201)
    body = held | {"attendees": ["N. Beridze"]}
    _ask(api, cast, "POST", f"/projects/{project.id}/steering-meetings", expected, body)


def test_an_approval_that_does_not_wait_for_you_is_refused_naming_whom_it_waits_for(
    api, cast, make
):
    project = cast.to("contracting")
    asked = make.fire(cast.coordinator, project, "sign_contract").approval  # the EU signed
    refused = api.as_(cast.beneficiary).post(f"/approvals/{asked.id}", json={"decision": "approve"})
    assert refused.status_code == 403
    error = error_of(refused)
    assert error["message"] == "This approval does not wait for you."
    assert error["details"] == {"owed": ["lead_member_state"]}
    signed = api.as_(cast.france).post(f"/approvals/{asked.id}", json={"decision": "approve"})
    assert signed.status_code == 200 and signed.json["project"]["state"] == "implementation"
