"""Reports, side letters and addenda over HTTP: co-signing answers 202 until the last
signature, approvals by someone else than the author, changes that move the project's dates."""

from datetime import timedelta

import pytest

from tests.api.conftest import error_of
from twinflow.workflow.durations import add_months


@pytest.fixture
def running(cast):
    """The cast's project in implementation (a 24-month Twinning, France the lead)."""
    cast.to("implementation")
    return cast


def _quarter_over(cast, clock, number):
    clock.set(add_months(cast.project.implementation_start, 3 * number) + timedelta(days=2))


def _step(client, path, trigger, status, **body):
    answer = client.post(f"{path}/transitions", json={"trigger": trigger, **body})
    assert answer.status_code == status, answer.json
    return answer.json


def test_a_report_is_submitted_by_both_leaders_and_approved_by_a_coordinator(api, running, clock):
    cast, pid = running, running.project.id
    beneficiary, france = api.as_(cast.beneficiary), api.as_(cast.france)
    coordinator = api.as_(cast.coordinator)
    drafted = beneficiary.post(f"/projects/{pid}/reports", json={"kind": "interim", "number": 1})
    assert drafted.status_code == 201, drafted.json
    report = drafted.json
    assert (report["state"], report["title"]) == ("draft", "Interim report 1")
    path = f"/projects/{pid}/reports/{report['id']}"

    early = _step(beneficiary, path, "submit", 422)
    assert "once that quarter is over" in early["error"]["message"]
    _quarter_over(cast, clock, 1)
    first = _step(beneficiary, path, "submit", 202)
    assert first["applied"] is False and first["owed"] == ["lead_member_state"]
    assert first["report"]["state"] == "draft"
    (mine,) = first["report"]["your_steps"]
    assert mine["available"] is False and "waiting for: Lead Member State" in mine["blocked_by"]

    assert _step(france, path, "submit", 200)["report"]["state"] == "submitted"
    offered = coordinator.get(f"/projects/{pid}/reports").json[0]["your_steps"]
    assert [(s["trigger"], s["available"]) for s in offered] == [
        ("approve", True),
        ("return", True),
    ]
    approved = _step(coordinator, path, "approve", 200, comment="Complete.")["report"]
    assert approved["state"] == "approved" and approved["decision_comment"] == "Complete."
    progress = coordinator.get(f"/projects/{pid}/progress").json
    assert (progress["reports_approved"], progress["reports"]) == (1, 1)


def test_a_report_approved_by_its_own_author_is_refused_with_the_reason(api, running, clock, make):
    cast, pid = running, running.project.id
    author = api.as_(cast.coordinator)
    report = author.post(f"/projects/{pid}/reports", json={"kind": "interim", "number": 1}).json
    path = f"/projects/{pid}/reports/{report['id']}"
    _quarter_over(cast, clock, 1)
    _step(api.as_(cast.beneficiary), path, "submit", 202)
    _step(api.as_(cast.france), path, "submit", 200)

    refused = _step(author, path, "approve", 403)
    assert refused["error"]["message"] == (
        "Interim report 1 may not be approved by one who wrote, edited or signed it; "
        "another user must take this step."
    )
    assert author.get(f"/projects/{pid}/reports").json[0]["state"] == "submitted"
    colleague = api.as_(make.user("coordinator"))
    assert _step(colleague, path, "approve", 200)["report"]["state"] == "approved"


def test_returning_a_report_needs_a_comment_and_a_new_round_of_signatures(api, running, clock):
    cast, pid = running, running.project.id
    beneficiary, coordinator = api.as_(cast.beneficiary), api.as_(cast.coordinator)
    report = beneficiary.post(f"/projects/{pid}/reports", json={"kind": "interim", "number": 1})
    path = f"/projects/{pid}/reports/{report.json['id']}"
    _quarter_over(cast, clock, 1)
    _step(beneficiary, path, "submit", 202)
    _step(api.as_(cast.france), path, "submit", 200)

    assert _step(coordinator, path, "return", 422)["error"]["details"] == {
        "comment": ["a comment is required to return the report for revision"]
    }
    returned = _step(coordinator, path, "return", 200, comment="Add the training figures.")
    assert returned["report"]["state"] == "returned"
    edited = beneficiary.patch(path, json={"summary": "With the training figures."})
    assert edited.status_code == 200 and edited.json["signing_round"] == 2
    assert _step(beneficiary, path, "submit", 202)["owed"] == ["lead_member_state"]


def test_unknown_steps_fields_and_records_of_other_projects_are_clear_errors(api, running, make):
    cast, pid = running, running.project.id
    client = api.as_(cast.beneficiary)
    report = client.post(f"/projects/{pid}/reports", json={"kind": "interim", "number": 1}).json
    path = f"/projects/{pid}/reports/{report['id']}"
    # A step of no record workflow is refused by the document's enum; a step of another
    # record's workflow (changes are rejected, reports returned) by the report's own.
    unknown = _step(client, path, "publish", 422)
    assert unknown["error"]["details"] == {
        "trigger": ["is not a step; the steps are: submit, approve, return, reject, cancel"]
    }
    elsewhere = _step(client, path, "reject", 422)
    assert elsewhere["error"]["details"] == {
        "trigger": ["unknown step 'reject'; known: submit, approve, return"]
    }
    bad = client.post(f"/projects/{pid}/reports", json={"kind": "weekly", "colour": "red"})
    assert bad.status_code == 422 and set(error_of(bad)["details"]) == {"kind", "colour"}
    beyond = client.post(f"/projects/{pid}/reports", json={"kind": "interim", "number": 9})
    assert error_of(beyond)["details"] == {
        "number": ["the implementation period has 8 quarters; there is no quarter 9"]
    }
    other = make.project(cast.beneficiary, title="Another project")
    elsewhere = client.post(f"/projects/{other.id}/reports/{report['id']}/transitions", json={})
    assert elsewhere.status_code == 422  # the body is checked first: trigger is required
    elsewhere = client.patch(f"/projects/{other.id}/reports/{report['id']}", json={"title": "x"})
    assert elsewhere.status_code == 404
    assert error_of(elsewhere)["message"] == f"No report {report['id']} on project {other.id}."


def test_an_addendum_signed_by_both_parties_moves_the_end_date_and_its_deadlines(
    api, running, clock
):
    cast, pid = running, running.project.id
    beneficiary, coordinator = api.as_(cast.beneficiary), api.as_(cast.coordinator)
    france = api.as_(cast.france)
    end = cast.project.implementation_end
    proposed = beneficiary.post(
        f"/projects/{pid}/changes",
        json={
            "kind": "addendum",
            "title": "Three more months",
            "justification": "The new law was adopted late.",
            "changes": {"extend_months": 3},
        },
    )
    assert proposed.status_code == 201, proposed.json
    path = f"/projects/{pid}/changes/{proposed.json['id']}"
    assert proposed.json["changes"] == {"extend_months": 3}
    _step(beneficiary, path, "submit", 200)
    assert _step(france, path, "approve", 202)["owed"] == ["coordinator"]
    signed = _step(coordinator, path, "approve", 200)["change"]
    assert signed["state"] == "approved"
    assert signed["applied"]["implementation_months"] == {"from": 24, "to": 27}

    project = coordinator.get(f"/projects/{pid}").json
    assert project["implementation_months"] == 27
    new_end = add_months(end, 3).isoformat()
    assert project["implementation_end"] == new_end
    due = {d["key"]: d["due_at"] for d in project["deadlines"]}
    assert due["implementation_ends"] == new_end
    # A ninth and tenth quarter now fall inside the period: their reports are due too.
    assert "interim_report#9" in due


def test_a_side_letter_may_not_change_what_needs_an_addendum(api, running):
    cast, pid = running, running.project.id
    answer = api.as_(cast.beneficiary).post(
        f"/projects/{pid}/changes",
        json={
            "kind": "side_letter",
            "title": "Longer",
            "justification": "More time",
            "changes": {"extend_months": 2, "reallocation_eur": 1_000_000},
        },
    )
    assert answer.status_code == 422
    details = error_of(answer)["details"]
    assert details["changes.extend_months"] == [
        "a side letter cannot change this (it may change: reallocation_eur, "
        "ms_project_leader, bc_project_leader); use an addendum"
    ]
    assert details["changes.reallocation_eur"][0].startswith("exceeds 15% of the budget")
    assert api.as_(cast.coordinator).get(f"/projects/{pid}/changes").json == []


def test_a_side_letter_agreed_by_both_leaders_is_approved_by_a_coordinator(api, running):
    cast, pid = running, running.project.id
    beneficiary, france = api.as_(cast.beneficiary), api.as_(cast.france)
    letter = beneficiary.post(
        f"/projects/{pid}/changes",
        json={
            "kind": "side_letter",
            "title": "Swap two trainings",
            "justification": "Experts unavailable in May.",
            "changes": {"reallocation_eur": 20_000},
        },
    ).json
    path = f"/projects/{pid}/changes/{letter['id']}"
    assert _step(beneficiary, path, "submit", 202)["owed"] == ["lead_member_state"]
    _step(france, path, "submit", 200)
    approved = _step(api.as_(cast.coordinator), path, "approve", 200)["change"]
    assert approved["applied"] == {"reallocation_eur": {"from": None, "to": "20000.00"}}
    listed = api.as_(cast.coordinator).get(f"/projects/{pid}/changes?kind=side_letter").json
    assert [c["state_label"] for c in listed] == ["Approved"]
    assert api.as_(cast.coordinator).get(f"/projects/{pid}/changes?kind=addendum").json == []
