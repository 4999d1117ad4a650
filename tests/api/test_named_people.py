"""Steps the Twinning Manual gives to a person are taken by that person or their recorded
deputy: the lead Member State's signature on the contract, reports and side letters co-signed
by both project leaders. Others of the same party are refused (403) with who can instead;
replacing a project leader (side letter) or the RTA (addendum) moves the rights on the day it
takes effect; a standard Twinning is not signed without an RTA seconded for its
implementation."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from tests.api.conftest import error_of
from tests.api.mission_report.models import create_table
from tests.api.test_mission_report import APPROVED_BY_COORDINATOR, HERE
from tests.factories import Cast
from twinflow.team.models import TeamMember
from twinflow.workflow.definition import load_text
from twinflow.workflow.durations import add_months

NOT_THE_LEADER = (
    "Only the Member State project leader, Jeanne Martin, or their deputy can sign the contract."
)


def _move(client, pid, trigger, status, **body):
    answer = client.post(f"/projects/{pid}/transitions", json={"trigger": trigger, **body})
    assert answer.status_code == status, answer.json
    return answer.json


def _step(client, path, trigger, status):
    answer = client.post(f"{path}/transitions", json={"trigger": trigger})
    assert answer.status_code == status, answer.json
    return answer.json


def _member(session, pid, role) -> TeamMember:
    return session.scalars(
        select(TeamMember)
        .where(TeamMember.project_id == pid, TeamMember.role == role)
        .order_by(TeamMember.id.desc())
    ).first()


@pytest.fixture
def colleague(make):
    """A user of the lead Member State's administration who is not its project leader."""
    return make.user("member_state", country="FR", email="colleague@ms.example")


def test_a_lead_member_state_user_who_is_not_its_project_leader_cannot_sign_the_contract(
    api, cast, colleague, session
):
    cast.to("contracting")
    pid = cast.project.id
    refused = error_of(
        api.as_(colleague).post(f"/projects/{pid}/transitions", json={"trigger": "sign_contract"})
    )
    assert refused["code"] == "not_permitted" and refused["message"] == NOT_THE_LEADER

    asked = _move(api.as_(cast.coordinator), pid, "sign_contract", 202)
    decide = f"/approvals/{asked['approval']['id']}"
    answer = api.as_(colleague).post(decide, json={"decision": "approve"})
    assert answer.status_code == 403 and error_of(answer)["message"] == NOT_THE_LEADER
    assert api.as_(cast.france).get(f"/projects/{pid}").json["state"] == "contracting"

    signed = api.as_(cast.france).post(decide, json={"decision": "approve"})
    assert signed.status_code == 200, signed.json
    assert signed.json["project"]["state"] == "implementation"


def test_the_project_leaders_recorded_deputy_signs_the_contract_in_their_place(
    api, cast, colleague, session
):
    cast.to("contracting")
    pid = cast.project.id
    leader = _member(session, pid, "ms_project_leader")
    leader.deputy_user_id, leader.deputy_name = colleague.id, "Luc Moreau"
    session.commit()
    asked = _move(api.as_(colleague), pid, "sign_contract", 202)
    assert asked["approval"]["owed_parties"] == ["contracting_authority"]
    done = api.as_(cast.coordinator).post(
        f"/approvals/{asked['approval']['id']}", json={"decision": "approve"}
    )
    assert done.json["project"]["state"] == "implementation"


def test_the_project_options_say_who_signs_instead_of_offering_the_step(api, cast, colleague):
    cast.to("contracting")
    pid = cast.project.id
    seen = api.as_(colleague).get(f"/projects/{pid}").json
    (option,) = [o for o in seen["options"] if o["trigger"] == "sign_contract"]
    assert (option["available"], option["blocked_by"]) == (False, NOT_THE_LEADER)
    assert "sign_contract" not in seen["available_triggers"]
    leader = api.as_(cast.france).get(f"/projects/{pid}").json
    assert "sign_contract" in leader["available_triggers"]


def test_reports_are_co_signed_by_both_project_leaders_in_person(api, cast, colleague, make, clock):
    cast.to("implementation")
    pid = cast.project.id
    other_official = make.user("beneficiary", email="official@justice.example")
    drafted = api.as_(cast.beneficiary).post(
        f"/projects/{pid}/reports", json={"kind": "interim", "number": 1}
    )
    path = f"/projects/{pid}/reports/{drafted.json['id']}"
    clock.set(add_months(cast.project.implementation_start, 3) + timedelta(days=2))

    refused = _step(api.as_(other_official), path, "submit", 403)
    assert refused["error"]["message"] == (
        "Only the beneficiary's project leader, Giorgi Beridze, or their deputy can sign and "
        "submit the report."
    )
    assert _step(api.as_(cast.beneficiary), path, "submit", 202)["owed"] == ["lead_member_state"]
    refused = _step(api.as_(colleague), path, "submit", 403)
    assert "Only the Member State project leader, Jeanne Martin" in refused["error"]["message"]
    assert _step(api.as_(cast.france), path, "submit", 200)["report"]["state"] == "submitted"


def _side_letter(api, cast, changes):
    made = api.as_(cast.beneficiary).post(
        f"/projects/{cast.project.id}/changes",
        json={
            "kind": "side_letter",
            "title": "New Member State project leader",
            "justification": "Jeanne Martin retires.",
            "changes": changes,
        },
    )
    assert made.status_code == 201, made.json
    return f"/projects/{cast.project.id}/changes/{made.json['id']}"


def test_a_side_letter_is_agreed_by_both_leaders_and_moves_the_leadership_on_its_date(
    api, cast, colleague, clock, session
):
    """The side letter replaces Jeanne Martin by the colleague from a date a month ahead:
    until the day before, Jeanne Martin co-signs reports; from that day, the colleague."""
    cast.to("implementation")
    pid = cast.project.id
    effective = (clock.now() + timedelta(days=30)).date()
    new_leader = {
        "name": "Luc Moreau",
        "email": "Colleague@ms.example",
        "effective_on": effective.isoformat(),
    }
    path = _side_letter(api, cast, {"ms_project_leader": new_leader})
    assert _step(api.as_(colleague), path, "submit", 403)["error"]["message"].startswith(
        "Only the Member State project leader, Jeanne Martin"
    )
    _step(api.as_(cast.beneficiary), path, "submit", 202)
    _step(api.as_(cast.france), path, "submit", 200)
    approved = _step(api.as_(cast.coordinator), path, "approve", 200)
    assert approved["change"]["applied"]["ms_project_leader"] == {
        "from": "Jeanne Martin",
        "to": "Luc Moreau",
        "effective_on": effective.isoformat(),
    }
    team = api.as_(cast.france).get(f"/projects/{pid}/team").json
    leaders = [
        (m["name"], m["starts_on"], m["ends_on"], m["user_id"])
        for m in team
        if m["role"] == "ms_project_leader"
    ]
    assert leaders == [
        ("Jeanne Martin", None, (effective - timedelta(days=1)).isoformat(), cast.france.id),
        ("Luc Moreau", effective.isoformat(), None, colleague.id),
    ]

    # The day before: the old leader signs, the new one is told who can.
    clock.set(clock.now().replace(year=effective.year, month=effective.month, day=effective.day))
    clock.advance(days=-1)
    path = _side_letter(api, cast, {"reallocation_eur": 1000})
    _step(api.as_(colleague), path, "submit", 403)
    assert _step(api.as_(cast.france), path, "submit", 202)["owed"] == ["beneficiary"]
    # From the effective date: the new leader signs, the old one no longer can.
    clock.advance(days=1)
    later = _side_letter(api, cast, {"reallocation_eur": 2000})
    refused = _step(api.as_(cast.france), later, "submit", 403)
    assert refused["error"]["message"].startswith(
        "Only the Member State project leader, Luc Moreau, or their deputy"
    )
    assert _step(api.as_(colleague), later, "submit", 202)["owed"] == ["beneficiary"]


APPROVED_BY_THE_RTA = """    signoff: {person: rta}
    effects: [stamp_decided]"""


def test_the_rta_replaced_by_an_addendum_hands_over_the_rights_on_its_effective_date(
    api, app, cast, make, clock, session, sa_engine
):
    """A mission report variant approved by the RTA in person: before the addendum's date the
    old RTA approves and the new one may not; from that date, the reverse."""
    create_table(sa_engine)
    text = (HERE / "mission_report.yaml").read_text()
    app.extensions["twinflow.registry"].add(
        load_text(text.replace(APPROVED_BY_COORDINATOR, APPROVED_BY_THE_RTA)), "record"
    )
    cast.to("implementation")
    project, pid = cast.project, cast.project.id
    old_rta = make.user("member_state", country="FR", email="paul.durand@ms.example")
    new_rta = make.user("member_state", country="FR", email="marie.curie@ms.example")
    first = _member(session, pid, "rta")
    first.user_id = old_rta.id
    session.commit()

    effective = (clock.now() + timedelta(days=60)).date()
    last_day = (project.implementation_end - timedelta(days=1)).date()
    made = api.as_(cast.france).post(
        f"/projects/{pid}/changes",
        json={
            "kind": "addendum",
            "title": "New RTA",
            "justification": "Paul Durand is recalled by his ministry.",
            "changes": {
                "rta": {
                    "name": "Marie Curie",
                    "email": new_rta.email,
                    "effective_on": effective.isoformat(),
                    "secondment_start": effective.isoformat(),
                    "secondment_end": last_day.isoformat(),
                }
            },
        },
    )
    assert made.status_code == 201, made.json
    path = f"/projects/{pid}/changes/{made.json['id']}"
    _step(api.as_(cast.beneficiary), path, "submit", 200)
    _step(api.as_(cast.france), path, "approve", 202)
    assert _step(api.as_(cast.coordinator), path, "approve", 200)["change"]["state"] == "approved"
    session.refresh(first)
    assert first.ends_on == effective - timedelta(days=1)  # kept, with its end

    def mission_report():
        base = f"/projects/{pid}/records/mission_report"
        made = api.as_(cast.france).post(base, json={"values": {"title": "M", "summary": "S"}})
        path = f"{base}/{made.json['record']['id']}"
        _step(api.as_(cast.france), path, "sign", 202)
        _step(api.as_(cast.beneficiary), path, "sign", 200)
        return path

    clock.set(clock.now() + timedelta(days=59))  # the day before the addendum takes effect
    before = mission_report()
    refused = _step(api.as_(new_rta), before, "approve", 403)
    assert "Paul Durand" in refused["error"]["message"]
    assert _step(api.as_(old_rta), before, "approve", 200)["record"]["state"] == "approved"

    clock.advance(days=1)  # the effective date
    after = mission_report()
    refused = _step(api.as_(old_rta), after, "approve", 403)
    assert refused["error"]["message"].startswith(
        "Only the Resident Twinning Adviser, Marie Curie, or their deputy"
    )
    assert _step(api.as_(new_rta), after, "approve", 200)["record"]["state"] == "approved"


def test_a_standard_twinning_is_not_signed_without_an_rta_seconded_for_its_implementation(
    api, cast, session
):
    cast.to("contracting")
    pid = cast.project.id
    rta = _member(session, pid, "rta")
    rta.secondment_end = rta.secondment_start + timedelta(days=400)
    session.commit()
    coordinator = api.as_(cast.coordinator)
    short = error_of(
        coordinator.post(f"/projects/{pid}/transitions", json={"trigger": "sign_contract"})
    )
    assert short["details"] == {"guard": "rta_covers_implementation"}
    assert "does not cover the implementation period" in short["message"]

    session.execute(delete(TeamMember).where(TeamMember.role == "rta"))
    session.commit()
    missing = error_of(
        coordinator.post(f"/projects/{pid}/transitions", json={"trigger": "sign_contract"})
    )
    assert missing["message"].startswith(
        "A Twinning contract needs a named Resident Twinning Adviser whose secondment covers "
        "the implementation period"
    )
    assert api.as_(cast.france).get(f"/projects/{pid}").json["state"] == "contracting"


def test_a_twinning_light_is_signed_without_an_rta(api, make, session):
    light = Cast(make, workflow="twinning_light")
    light.to("contracting")
    assert _member(session, light.project.id, "rta") is None
    asked = _move(api.as_(light.coordinator), light.project.id, "sign_contract", 202)
    signed = api.as_(light.france).post(
        f"/approvals/{asked['approval']['id']}", json={"decision": "approve"}
    )
    assert signed.json["project"]["state"] == "implementation"


def _addendum(api, cast, changes):
    return api.as_(cast.beneficiary).post(
        f"/projects/{cast.project.id}/changes",
        json={"kind": "addendum", "title": "Longer", "justification": "Delays", "changes": changes},
    )


def test_an_addendum_extending_the_implementation_extends_the_secondment_or_says_why_not(
    api, cast, session
):
    cast.to("implementation")
    rta = _member(session, cast.project.id, "rta")
    seconded_until = rta.secondment_end
    refused = _addendum(api, cast, {"extend_months": 12})
    assert refused.status_code == 422
    (reason,) = error_of(refused)["details"]["changes.rta_secondment_end"]
    assert reason.startswith("the implementation would run to ")
    assert "extend the RTA's secondment to cover it, or say why not" in reason

    later = (cast.project.implementation_end + timedelta(days=400)).date().isoformat()
    extended = _addendum(api, cast, {"extend_months": 12, "rta_secondment_end": later})
    assert extended.status_code == 201, extended.json
    explained = _addendum(
        api, cast, {"extend_months": 12, "rta_not_extended_because": "A new RTA will follow."}
    )
    assert explained.status_code == 201, explained.json
    session.refresh(rta)
    assert rta.secondment_end == seconded_until  # proposed only: nothing applied yet
