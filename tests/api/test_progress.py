"""Results and indicators, activities, team and steering meetings over HTTP, and the progress
they add up to; the Manual's refusals come back naming the field and the reason."""

from datetime import timedelta

from sqlalchemy import delete

from tests.api.conftest import error_of
from tests.factories import Cast
from twinflow.team.models import TeamMember
from twinflow.workflow.durations import add_months


def _created(response):
    assert response.status_code == 201, response.json
    return response.json


def test_results_defined_in_contracting_are_measured_during_implementation(api, cast, clock):
    project = cast.to("contracting")
    pid, leader = project.id, api.as_(cast.beneficiary)
    component = _created(leader.post(f"/projects/{pid}/components", json={"title": "Probation"}))
    result = _created(
        leader.post(
            f"/projects/{pid}/components/{component['id']}/results",
            json={"title": "Probation service set up"},
        )
    )
    indicator = _created(
        leader.post(
            f"/projects/{pid}/results/{result['id']}/indicators",
            json={"name": "Officers trained", "unit": "people", "baseline": 0, "target": 120},
        )
    )
    assert (indicator["baseline"], indicator["target"], indicator["reached"]) == (
        "0.00",
        "120.00",
        None,
    )
    path = f"/projects/{pid}/indicators/{indicator['id']}"
    early = leader.patch(path, json={"reached": 10})
    assert early.status_code == 409
    assert "only while the project is at the stage “Implementation”" in error_of(early)["message"]

    cast.to("implementation")
    clock.advance(days=100)
    france = api.as_(cast.france)
    measured = france.patch(path, json={"reached": 90})
    assert measured.status_code == 200, measured.json
    assert (measured.json["reached"], measured.json["percent"]) == ("90.00", 75)
    late = leader.post(f"/projects/{pid}/components", json={"title": "Too late"})
    assert late.status_code == 409

    progress = api.as_(cast.coordinator).get(f"/projects/{pid}/progress").json
    assert progress["percent"] == 75
    (shown,) = progress["components"][0]["results"][0]["indicators"]
    assert shown["reached"] == "90.00"
    listed = leader.get(f"/projects/{pid}/components").json
    assert listed[0]["results"][0]["title"] == "Probation service set up"


def test_indicator_values_are_numbers_and_stay_within_what_can_be_stored(api, cast):
    project = cast.to("contracting")
    client = api.as_(cast.beneficiary)
    component = client.post(f"/projects/{project.id}/components", json={"title": "C"}).json
    result = client.post(
        f"/projects/{project.id}/components/{component['id']}/results", json={"title": "R"}
    ).json
    path = f"/projects/{project.id}/results/{result['id']}/indicators"
    for body, field in (
        ({"name": "x", "baseline": "0", "target": 5}, "baseline"),
        ({"name": "x", "baseline": 0, "target": 10**20}, "target"),
        ({"name": "x", "baseline": 3, "target": 3}, "target"),
    ):
        answer = client.post(path, json=body)
        assert answer.status_code == 422, body
        assert set(error_of(answer)["details"]) == {field}


def _indicator(client, pid, baseline, target) -> str:
    component = _created(client.post(f"/projects/{pid}/components", json={"title": "C"}))
    result = _created(
        client.post(f"/projects/{pid}/components/{component['id']}/results", json={"title": "R"})
    )
    body = {"name": "Measure", "baseline": baseline, "target": target}
    indicator = _created(
        client.post(f"/projects/{pid}/results/{result['id']}/indicators", json=body)
    )
    return f"/projects/{pid}/indicators/{indicator['id']}"


def test_a_negative_value_reached_is_refused_for_an_indicator_counting_up_from_zero(api, cast):
    project = cast.to("contracting")
    leader = api.as_(cast.beneficiary)
    officers = _indicator(leader, project.id, 0, 120)
    backlog = _indicator(leader, project.id, 5000, 2000)
    cast.to("implementation")
    for path, value, scale in (
        (officers, -5, "from 0.00 to 120.00"),
        (backlog, -0.01, "from 5000.00 to 2000.00"),
    ):
        answer = leader.patch(path, json={"reached": value})
        assert answer.status_code == 422
        reason = f"must not be negative: this indicator counts {scale}"
        assert error_of(answer)["details"] == {"reached": [reason]}
    shown = leader.get(f"/projects/{project.id}/components").json[0]["results"][0]
    assert shown["indicators"][0]["reached"] is None
    # Zero is a value like any other; outsiders are told nothing about the indicator.
    assert leader.patch(officers, json={"reached": 0}).status_code == 200
    assert api.as_(cast.other_beneficiary).patch(officers, json={"reached": -5}).status_code == 404


def test_an_indicator_on_a_negative_scale_may_reach_a_negative_value(api, cast):
    project = cast.to("contracting")
    leader = api.as_(cast.beneficiary)
    balance = _indicator(leader, project.id, -40, 0)
    cast.to("implementation")
    answer = leader.patch(balance, json={"reached": -10})
    assert answer.status_code == 200, answer.json
    assert (answer.json["reached"], answer.json["percent"]) == ("-10.00", 75)


def test_activities_are_planned_and_updated_with_what_actually_happened(api, cast, clock):
    project = cast.to("implementation")
    pid, client = project.id, api.as_(cast.beneficiary)
    start = project.implementation_start.date()
    activity = _created(
        client.post(
            f"/projects/{pid}/activities",
            json={
                "kind": "training",
                "title": "Risk assessment training",
                "planned_start": (start + timedelta(days=30)).isoformat(),
                "planned_end": (start + timedelta(days=32)).isoformat(),
                "experts": ["Marie Curie"],
            },
        )
    )
    assert activity["status"] == "planned"
    path = f"/projects/{pid}/activities/{activity['id']}"
    future = client.patch(path, json={"status": "done"})
    assert future.status_code == 422
    assert error_of(future)["details"] == {
        "status": ["an activity marked done needs its actual_start and actual_end"]
    }
    clock.set(project.implementation_start + timedelta(days=40))
    done = client.patch(
        path,
        json={
            "status": "done",
            "actual_start": (start + timedelta(days=31)).isoformat(),
            "actual_end": (start + timedelta(days=33)).isoformat(),
            "participants": 24,
        },
    )
    assert done.status_code == 200, done.json
    assert (done.json["status"], done.json["participants"]) == ("done", 24)
    assert [a["id"] for a in client.get(f"/projects/{pid}/activities").json] == [activity["id"]]
    progress = client.get(f"/projects/{pid}/progress").json
    assert progress["activities_by_status"] == {"done": 1}


def test_an_rta_seconded_under_twelve_months_is_refused_on_a_twinning(api, cast, session):
    project = cast.to("implementation")
    # Without the team the cast names to sign the contract: this test builds it.
    session.execute(delete(TeamMember).where(TeamMember.project_id == project.id))
    session.commit()
    client = api.as_(cast.france)
    start = project.implementation_start.date()
    rta = {"role": "rta", "name": "Paul Durand", "secondment_start": start.isoformat()}
    short = client.post(
        f"/projects/{project.id}/team",
        json=rta | {"secondment_end": (add_months(start, 6) - timedelta(days=1)).isoformat()},
    )
    assert short.status_code == 422
    (reason,) = error_of(short)["details"]["secondment_end"]
    assert reason.startswith("the RTA secondment must last 12 to 36 months on a Twinning project")
    assert reason.endswith("is 6 months")
    good = client.post(
        f"/projects/{project.id}/team",
        json=rta | {"secondment_end": (add_months(start, 24) - timedelta(days=1)).isoformat()},
    )
    assert good.status_code == 201, good.json
    second = client.post(
        f"/projects/{project.id}/team",
        json=rta | {"secondment_end": (add_months(start, 24) - timedelta(days=1)).isoformat()},
    )
    assert second.status_code == 409
    assert error_of(second)["message"].endswith("a change of RTA needs an addendum.")
    assert [m["role"] for m in client.get(f"/projects/{project.id}/team").json] == ["rta"]


def test_a_twinning_light_has_no_rta(api, make):
    light = Cast(make, workflow="twinning_light")
    project = light.to("implementation")
    answer = api.as_(light.beneficiary).post(
        f"/projects/{project.id}/team",
        json={"role": "rta", "name": "Paul Durand", "secondment_start": "2027-06-01"},
    )
    assert answer.status_code == 422
    assert error_of(answer)["details"]["role"] == [
        "a Twinning Light project has no Resident Twinning Adviser"
    ]


def test_a_quarter_without_a_steering_meeting_shows_as_overdue(api, cast, clock):
    project = cast.to("implementation")
    client = api.as_(cast.coordinator)
    clock.set(add_months(project.implementation_start, 3) + timedelta(days=20))
    overdue = client.get(f"/projects/{project.id}/progress").json["overdue"]
    assert "steering_committee#1" in [d["key"] for d in overdue]

    held = (project.implementation_start + timedelta(days=60)).date().isoformat()
    meeting = client.post(
        f"/projects/{project.id}/steering-meetings",
        json={"held_on": held, "attendees": ["N. Beridze", "J. Martin"], "minutes": "Agreed."},
    )
    assert meeting.status_code == 201, meeting.json
    assert meeting.json["quarter"] == 1
    overdue = client.get(f"/projects/{project.id}/progress").json["overdue"]
    assert "steering_committee#1" not in [d["key"] for d in overdue]
    listed = client.get(f"/projects/{project.id}/steering-meetings").json
    assert [m["attendees"] for m in listed] == [["N. Beridze", "J. Martin"]]
    future = client.post(
        f"/projects/{project.id}/steering-meetings",
        json={"held_on": "2099-01-01", "attendees": []},
    )
    assert set(error_of(future)["details"]) == {"held_on", "attendees"}
