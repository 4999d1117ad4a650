"""A new record workflow is a YAML file and a model: a test-only "mission report", drafted by
the lead Member State, co-signed by both project leaders and approved by a coordinator, walks
through the generic record routes, the engine's one path and the one sign-off model."""

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.api.mission_report.models import MissionReport, create_table
from twinflow.approvals.operations import pending_signoffs_for
from twinflow.audit.models import AuditEvent
from twinflow.team.models import TeamMember
from twinflow.workflow.definition import load_file, load_text

HERE = Path(__file__).parent / "mission_report"


@pytest.fixture
def mission_reports(app, cast, sa_engine):
    """The cast's project in implementation, and the app knowing mission reports."""
    create_table(sa_engine)
    app.extensions["twinflow.registry"].add(load_file(HERE / "mission_report.yaml"), "record")
    cast.to("implementation")
    return cast


APPROVED_BY_COORDINATOR = """    allowed: [coordinator]
    by_someone_else: true
    effects: [stamp_decided]"""
APPROVED_BY_THE_MS_LEADER = """    signoff: {person: ms_project_leader}
    effects: [stamp_decided]"""


def _step(client, path, trigger, status, **body):
    answer = client.post(f"{path}/transitions", json={"trigger": trigger, **body})
    assert answer.status_code == status, answer.json
    return answer.json


def test_a_mission_report_is_drafted_co_signed_and_approved_through_the_generic_routes(
    api, app, mission_reports, session
):
    cast, pid = mission_reports, mission_reports.project.id
    france, beneficiary = api.as_(cast.france), api.as_(cast.beneficiary)
    coordinator = api.as_(cast.coordinator)
    base = f"/projects/{pid}/records/mission_report"
    values = {"values": {"title": "Mission 1: audit manuals", "summary": "Two experts, 5 days"}}

    assert beneficiary.post(base, json=values).status_code == 403  # the lead MS drafts
    assert france.post(base, json={"values": {"colour": "red"}}).status_code == 422
    drafted = france.post(base, json=values)
    assert drafted.status_code == 201, drafted.json
    report = drafted.json["record"]
    pinned = app.extensions["twinflow.registry"].record("mission_report").version
    assert (report["state"], report["workflow_version"]) == ("draft", pinned)
    path = f"{base}/{report['id']}"

    assert _step(coordinator, path, "approve", 409)["error"]["code"]
    first = _step(france, path, "sign", 202)
    assert (first["applied"], first["owed"]) == (False, ["beneficiary"])
    waiting = pending_signoffs_for(session, cast.beneficiary)
    assert [(s.subject_type, owed) for s, _, owed in waiting] == [
        ("mission_report", ["beneficiary"])
    ]
    signed = _step(beneficiary, path, "sign", 200)
    assert (signed["applied"], signed["record"]["state"]) == (True, "signed")
    assert pending_signoffs_for(session, cast.beneficiary) == []

    # A rejection (here a return) closes the round: both sign again.
    _step(coordinator, path, "return", 422)  # a comment is required
    returned = _step(coordinator, path, "return", 200, comment="Add the agenda.")
    assert (returned["record"]["state"], returned["record"]["signing_round"]) == ("returned", 2)
    assert _step(france, path, "sign", 202)["owed"] == ["beneficiary"]
    _step(beneficiary, path, "sign", 200)
    approved = _step(coordinator, path, "approve", 200)
    assert approved["record"]["state"] == "approved"
    assert api.as_(cast.france).get(path).json["record"]["state"] == "approved"

    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.project_id == pid, AuditEvent.action.like("mission_report%"))
        .order_by(AuditEvent.seq)
    ).all()
    assert actions == [
        "mission_report_created",
        "mission_report_signed",
        "mission_report_signed",
        "mission_report_sign",
        "mission_report_return",
        "mission_report_signed",
        "mission_report_signed",
        "mission_report_sign",
        "mission_report_approve",
    ]
    assert session.get(MissionReport, report["id"]).decided_by_id == cast.coordinator.id


def test_one_who_signed_a_mission_report_may_not_approve_it_and_unknown_types_are_404(
    api, mission_reports, make, session
):
    cast, pid = mission_reports, mission_reports.project.id
    base = f"/projects/{pid}/records/mission_report"
    made = api.as_(cast.france).post(base, json={"values": {"title": "M", "summary": "S"}})
    path = f"{base}/{made.json['record']['id']}"
    _step(api.as_(cast.france), path, "sign", 202)
    _step(api.as_(cast.beneficiary), path, "sign", 200)
    refused = _step(api.as_(cast.beneficiary), path, "approve", 403)
    assert "one who wrote, edited or signed it" in refused["error"]["message"]
    _step(api.as_(cast.coordinator), path, "approve", 200)
    assert api.get(f"/projects/{pid}/records/no_such_type").status_code in (401, 404)
    assert api.as_(cast.coordinator).get(f"/projects/{pid}/records/no_such_type").status_code == 404


def test_a_step_signed_off_by_a_named_person_waits_for_that_person_alone(
    api, app, cast, make, session, sa_engine
):
    """`signoff: {person: ms_project_leader}`: only the user who is the project's Member State
    project leader (its team member's e-mail) approves, not any other lead Member State user."""
    create_table(sa_engine)
    text = (HERE / "mission_report.yaml").read_text()
    assert APPROVED_BY_COORDINATOR in text
    variant = load_text(text.replace(APPROVED_BY_COORDINATOR, APPROVED_BY_THE_MS_LEADER))
    app.extensions["twinflow.registry"].add(variant, "record")
    cast.to("implementation")
    pid = cast.project.id
    leader = make.user("member_state", country="FR", email="leader@ms.example")
    session.add(
        TeamMember(project_id=pid, role="ms_project_leader", name="L", email="Leader@ms.example")
    )
    session.commit()
    base = f"/projects/{pid}/records/mission_report"
    made = api.as_(cast.france).post(base, json={"values": {"title": "M", "summary": "S"}})
    path = f"{base}/{made.json['record']['id']}"
    _step(api.as_(cast.france), path, "sign", 202)
    _step(api.as_(cast.beneficiary), path, "sign", 200)

    for someone_else in (cast.france, cast.coordinator):
        _step(api.as_(someone_else), path, "approve", 403)
    approved = _step(api.as_(leader), path, "approve", 200)
    assert approved["record"]["state"] == "approved"
