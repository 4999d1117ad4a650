"""The Twinning Review Mission after closure: an optional record (workflows/records/
review_mission.yaml) planned by a coordinator on a closed project, due within its window
(6 to 12 months after the implementation end, configurable); its report is submitted within
the window, which meets its deadline, and approved by another coordinator."""

from sqlalchemy import select

from tests.api.conftest import error_of
from twinflow.deadlines.models import Deadline
from twinflow.workflow.durations import add_months

PLAN = {"title": "Review of the penitentiary twinning", "plan": "Two experts, five days"}


def _step(client, path, trigger, status, **body):
    answer = client.post(f"{path}/transitions", json={"trigger": trigger, **body})
    assert answer.status_code == status, answer.json
    return answer.json


def test_a_review_mission_is_planned_on_a_closed_project_reported_in_its_window_and_approved(
    api, cast, make, session, clock
):
    pid = cast.to("implementation").id
    base = f"/projects/{pid}/records/review_mission"
    coordinator = api.as_(cast.coordinator)
    too_soon = coordinator.post(base, json={"values": PLAN})
    assert too_soon.status_code == 409
    assert "only while the project is at the stage “Closed”" in error_of(too_soon)["message"]

    project = cast.to("closed")
    end = project.implementation_end
    assert api.as_(cast.beneficiary).post(base, json={"values": PLAN}).status_code == 403
    missing = coordinator.post(base, json={"values": {"title": "No plan"}})
    assert missing.status_code == 422
    planned = coordinator.post(base, json={"values": PLAN})
    assert planned.status_code == 201, planned.json
    mission = planned.json["record"]
    assert (mission["state"], mission["report"]) == ("planned", "")
    assert mission["window_opens"] == add_months(end, 6).isoformat()
    assert mission["window_closes"] == add_months(end, 12).isoformat()
    deadline = session.scalars(
        select(Deadline).where(Deadline.key == f"review_mission_report#{mission['id']}")
    ).one()
    assert (deadline.status, deadline.due_at) == ("open", add_months(end, 12))
    path = f"{base}/{mission['id']}"

    # No report yet, then too early: the window has not opened.
    assert "report is empty" in _step(coordinator, path, "submit", 422)["error"]["message"]
    written = coordinator.patch(path, json={"values": {"report": "Results sustained."}})
    assert written.status_code == 200, written.json
    refused = _step(coordinator, path, "submit", 422)
    assert "window opens on" in refused["error"]["message"]
    clock.set(add_months(end, 7))
    assert _step(coordinator, path, "submit", 200)["record"]["state"] == "submitted"
    session.refresh(deadline)
    assert deadline.status == "met"

    # The coordinator who wrote it may not approve it; another one does.
    assert "wrote, edited or signed" in _step(coordinator, path, "approve", 403)["error"]["message"]
    other = make.user("coordinator", email="second@commission.example")
    approved = _step(api.as_(other), path, "approve", 200)
    assert approved["record"]["state"] == "approved"
    listed = api.as_(cast.beneficiary).get(base).json
    assert [r["record"]["state"] for r in listed] == ["approved"]


def test_a_review_mission_not_held_is_cancelled_with_a_reason_and_owes_no_report(
    api, cast, session
):
    """Optional: a coordinator may decide not to hold it (a reason is required)."""
    pid = cast.to("closed").id
    coordinator = api.as_(cast.coordinator)
    made = coordinator.post(f"/projects/{pid}/records/review_mission", json={"values": PLAN})
    mission_id = made.json["record"]["id"]
    path = f"/projects/{pid}/records/review_mission/{mission_id}"
    assert _step(coordinator, path, "cancel", 422)["error"]["details"]["comment"]
    cancelled = _step(coordinator, path, "cancel", 200, comment="Budget withdrawn")
    assert cancelled["record"]["state"] == "cancelled"
    deadline = session.scalars(
        select(Deadline).where(Deadline.key == f"review_mission_report#{mission_id}")
    ).one()
    assert (deadline.status, deadline.next_alert_at) == ("cancelled", None)


def test_a_closed_project_page_shows_the_review_window_and_its_missions(api, app, cast, make):
    from tests.web.conftest import Browser

    project = cast.to("closed")
    page = Browser(app).sign_in(cast.beneficiary).text(f"/projects/{project.id}")
    opens = add_months(project.implementation_end, 6)
    assert "Twinning Review Mission" in page and "No review mission planned." in page
    closes = add_months(project.implementation_end, 12)
    assert f"between {opens:%d %b %Y} and {closes:%d %b %Y}" in page
    api.as_(cast.coordinator).post(
        f"/projects/{project.id}/records/review_mission", json={"values": PLAN}
    )
    page = Browser(app).sign_in(cast.beneficiary).text(f"/projects/{project.id}")
    assert f"{PLAN['title']}: Planned" in page
    running = make.project(cast.beneficiary, title="Still running")
    assert "Twinning Review Mission" not in Browser(app).sign_in(cast.beneficiary).text(
        f"/projects/{running.id}"
    )
