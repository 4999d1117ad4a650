"""The dates rules over HTTP: a refused date names its field (422) and changes nothing; a
deadline waived or moved by a coordinator, refused to everyone else."""

from datetime import timedelta

from tests.api.conftest import error_of


def _iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _open_deadline(client, pid, key):
    return next(d for d in client.get(f"/projects/{pid}/deadlines").json if d["key"] == key)


def test_a_backdated_start_is_refused_with_the_field_and_the_reason(api, cast, clock):
    project = cast.to("contracting")
    coordinator = api.as_(cast.coordinator)
    version = coordinator.get(f"/projects/{project.id}").json["version"]
    refused = coordinator.post(
        f"/projects/{project.id}/transitions",
        json={
            "trigger": "sign_contract",
            "data": {"implementation_start": _iso(clock.now() - timedelta(days=90))},
        },
    )
    assert refused.status_code == 422
    error = error_of(refused)
    assert error["code"] == "invalid_data"
    assert error["message"].startswith("implementation_start: lies too far in the past")
    assert list(error["details"]) == ["data.implementation_start"]
    after = coordinator.get(f"/projects/{project.id}").json
    assert (after["state"], after["version"], after["pending_approvals"]) == (
        "contracting",
        version,
        [],
    )


def test_a_future_signature_is_refused_over_the_api(api, cast, clock):
    project = cast.to("contracting")
    refused = api.as_(cast.coordinator).post(
        f"/projects/{project.id}/transitions",
        json={
            "trigger": "sign_contract",
            "data": {"contract_signed_at": _iso(clock.now() + timedelta(hours=2))},
        },
    )
    assert refused.status_code == 422
    assert "cannot be in the future" in error_of(refused)["details"]["data.contract_signed_at"][0]


def test_ending_before_the_start_is_refused_with_the_reason(api, cast):
    project = cast.to("implementation")
    refused = api.as_(cast.coordinator).post(
        f"/projects/{project.id}/transitions", json={"trigger": "end_implementation"}
    )
    assert refused.status_code == 422
    error = error_of(refused)
    assert error["details"] == {"guard": "implementation_started"}
    assert "cannot end before it starts" in error["message"]


def test_a_coordinator_waives_a_deadline_and_others_may_not(api, cast):
    project = cast.to("call_open")
    coordinator, beneficiary = api.as_(cast.coordinator), api.as_(cast.beneficiary)
    due = _open_deadline(coordinator, project.id, "proposals_due")
    path = f"/projects/{project.id}/deadlines/{due['id']}/waiver"
    forbidden = beneficiary.post(path, json={"reason": "We want more time."})
    assert forbidden.status_code == 403
    assert error_of(forbidden)["message"] == "Only a coordinator may waive or move a deadline."
    hidden = api.as_(cast.other_beneficiary).post(path, json={"reason": "x"})
    assert hidden.status_code == 404
    blank = coordinator.post(path, json={"reason": ""})
    assert blank.status_code == 422 and "reason" in error_of(blank)["details"]
    assert _open_deadline(coordinator, project.id, "proposals_due")["status"] == "open"

    waived = coordinator.post(path, json={"reason": "The call is re-issued next month."})
    assert waived.status_code == 200, waived.json
    assert waived.json["status"] == "waived"
    assert waived.json["decision_reason"] == "The call is re-issued next month."
    again = coordinator.post(path, json={"reason": "twice"})
    assert again.status_code == 409 and error_of(again)["details"] == {"status": "waived"}
    trail = coordinator.get(f"/projects/{project.id}/audit?per_page=100").json
    assert [e["action"] for e in trail].count("deadline_waived") == 1


def test_a_coordinator_moves_a_deadline_to_a_later_date(api, cast, clock):
    project = cast.to("call_open")
    coordinator = api.as_(cast.coordinator)
    due = _open_deadline(coordinator, project.id, "proposals_due")
    path = f"/projects/{project.id}/deadlines/{due['id']}/move"
    past = coordinator.post(
        path, json={"due_at": _iso(clock.now() - timedelta(days=1)), "reason": "x"}
    )
    assert past.status_code == 422 and list(error_of(past)["details"]) == ["due_at"]
    later = _iso(project.proposal_deadline + timedelta(days=14))
    moved = coordinator.post(path, json={"due_at": later, "reason": "Two more weeks asked."})
    assert moved.status_code == 201, moved.json
    assert moved.json["id"] != due["id"] and moved.json["status"] == "open"
    statuses = {
        d["id"]: d["status"] for d in coordinator.get(f"/projects/{project.id}/deadlines").json
    }
    assert statuses[due["id"]] == "superseded" and statuses[moved.json["id"]] == "open"
