"""The whole standard lifecycle driven over HTTP only, two-party approvals and the co-signed
final report included."""

from datetime import timedelta

from tests.conftest import START


def _fire(client, project_id, trigger, status=200, **body):
    response = client.post(f"/projects/{project_id}/transitions", json={"trigger": trigger, **body})
    assert response.status_code == status, response.json
    return response.json


def _approve_final_report(beneficiary, france, coordinator, project_id):
    """Closing needs the final report co-signed by both project leaders and approved."""
    drafted = beneficiary.post(f"/projects/{project_id}/reports", json={"kind": "final"})
    assert drafted.status_code == 201, drafted.json
    steps = f"/projects/{project_id}/reports/{drafted.json['id']}/transitions"
    signed = beneficiary.post(steps, json={"trigger": "submit"})
    assert signed.status_code == 202 and signed.json["owed"] == ["lead_member_state"]
    submitted = france.post(steps, json={"trigger": "submit"})
    assert submitted.json["report"]["state"] == "submitted"
    approved = coordinator.post(steps, json={"trigger": "approve", "comment": "Complete."})
    assert approved.status_code == 200 and approved.json["report"]["state"] == "approved"


def test_a_project_goes_from_drafting_to_closed_over_the_api_alone(api, cast, clock):
    beneficiary = api.as_(cast.beneficiary)
    coordinator = api.as_(cast.coordinator)
    france, germany = api.as_(cast.france), api.as_(cast.germany)

    created = beneficiary.post(
        "/projects",
        json={
            "title": "Modernising the customs service",
            "workflow": "twinning",
            "sector": "FI",
            "instrument": "ENI",
            "budget_eur": 1_200_000,
            "implementation_months": 24,
        },
    )
    assert created.status_code == 201, created.json
    pid = created.json["id"]
    assert created.json["state"] == "fiche_drafting"
    assert created.json["reference"].startswith("GE 27 ENI FI ")

    assert _fire(beneficiary, pid, "submit_fiche")["project"]["state"] == "fiche_review"
    deadline = (START + timedelta(days=60)).isoformat().replace("+00:00", "Z")
    opened = _fire(coordinator, pid, "approve_fiche", data={"proposal_deadline": deadline})
    assert opened["project"]["state"] == "call_open"

    proposal = {"project_leader": "Jeanne Martin", "rta_name": "Paul Durand", "summary": "Peer"}
    french = france.post(f"/projects/{pid}/proposals", json=proposal)
    assert french.status_code == 201, french.json
    assert germany.post(f"/projects/{pid}/proposals", json=proposal).status_code == 201
    assert france.post(f"/projects/{pid}/proposals", json=proposal).status_code == 409

    clock.set(START + timedelta(days=61))
    assert _fire(coordinator, pid, "close_call")["project"]["state"] == "selection"
    assert len(coordinator.get(f"/projects/{pid}/proposals").json) == 2
    chosen = coordinator.post(f"/projects/{pid}/proposals/{french.json['id']}/select")
    assert chosen.status_code == 200 and chosen.json["is_selected"] is True

    asked = _fire(beneficiary, pid, "select_partner", status=202)
    assert asked["applied"] is False and asked["project"]["state"] == "selection"
    assert asked["approval"]["owed_parties"] == ["coordinator"]
    inbox = coordinator.get("/approvals?status=pending").json
    assert [(a["id"], a["awaiting_you"]) for a in inbox] == [(asked["approval"]["id"], True)]
    approval_id = asked["approval"]["id"]
    decided = coordinator.post(f"/approvals/{approval_id}", json={"decision": "approve"})
    assert decided.status_code == 200, decided.json
    assert decided.json["approval"]["status"] == "approved"
    assert decided.json["project"]["state"] == "work_plan"

    # The people who sign: both project leaders, and the RTA seconded for the implementation.
    start_day = (START + timedelta(days=120)).date()
    for member in (
        {"role": "ms_project_leader", "name": "Jeanne Martin", "email": cast.france.email},
        {"role": "bc_project_leader", "name": "Giorgi Beridze", "email": cast.beneficiary.email},
        {"role": "rta", "name": "Paul Durand", "secondment_start": start_day.isoformat(),
         "secondment_end": (start_day + timedelta(days=2 * 365)).isoformat()},
    ):  # fmt: skip
        named = france.post(f"/projects/{pid}/team", json=member)
        assert named.status_code == 201, named.json
        assert named.json["user_id"] == {
            "ms_project_leader": cast.france.id, "bc_project_leader": cast.beneficiary.id
        }.get(member["role"])  # fmt: skip

    assert _fire(france, pid, "submit_contract")["project"]["state"] == "contracting"
    start = (START + timedelta(days=120)).isoformat()
    signing = _fire(
        coordinator, pid, "sign_contract", status=202, data={"implementation_start": start}
    )
    assert france.get("/approvals").json[0]["awaiting_you"] is True
    signed = france.post(f"/approvals/{signing['approval']['id']}", json={"decision": "approve"})
    assert signed.json["project"]["state"] == "implementation"

    clock.set(START + timedelta(days=120 + 2 * 365))
    assert _fire(coordinator, pid, "end_implementation")["project"]["state"] == "final_reporting"
    refused = _fire(coordinator, pid, "approve_final_report", status=422)
    assert refused["error"]["details"] == {"guard": "final_report_approved"}
    _approve_final_report(beneficiary, france, coordinator, pid)
    # Eight interim reports are owed too: closing waits until each is approved or waived.
    owed = _fire(coordinator, pid, "approve_final_report", status=422)
    assert owed["error"]["details"] == {"guard": "interim_reports_settled"}
    for d in coordinator.get(f"/projects/{pid}/deadlines").json:
        if d["key"].startswith("interim_report#") and d["status"] == "open":
            reason = {"reason": "Reported in the steering committee minutes instead."}
            waived = coordinator.post(f"/projects/{pid}/deadlines/{d['id']}/waiver", json=reason)
            assert waived.status_code == 200 and waived.json["status"] == "waived", waived.json
    closed = _fire(coordinator, pid, "approve_final_report")["project"]
    assert closed["state"] == "closed" and closed["closed_at"]

    trail = api.as_(cast.admin).get(f"/projects/{pid}/audit?per_page=100").json
    transitions = [e["trigger"] for e in trail if e["action"] == "transition"]
    assert transitions == [
        "submit_fiche",
        "approve_fiche",
        "close_call",
        "select_partner",
        "submit_contract",
        "sign_contract",
        "end_implementation",
        "approve_final_report",
    ]
    assert all(e["prev_hash"] for e in trail)
    assert api.as_(cast.admin).get("/audit/verify").json["ok"] is True
