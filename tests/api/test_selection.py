"""The selection record over HTTP: the coordinator writes it, the choosers read it, a Member
State reads its own result only once the partner is chosen; bad input is a 422 naming the
field and changes nothing."""

import io
from datetime import timedelta

import pytest

from tests.api.conftest import error_of
from tests.selection.conftest import PDF, open_call_with_bids


@pytest.fixture
def bidding(make, clock):
    bidding = open_call_with_bids(make)
    clock.set(bidding.project.proposal_deadline + timedelta(days=10))
    make.fire(bidding.cast.coordinator, bidding.project, "close_call")
    return bidding


def _minutes(api, bidding) -> int:
    body = {"category": "selection_minutes", "file": (io.BytesIO(PDF), "minutes.pdf")}
    answer = api.as_(bidding.cast.coordinator).post(
        f"/projects/{bidding.project.id}/documents", data=body, content_type="multipart/form-data"
    )
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def _put(api, user, path, body):
    return api.as_(user).request("PUT", path, json=body)


def test_the_coordinator_records_eligibility_and_the_meeting_and_the_beneficiary_reads_them(
    api, bidding, clock
):
    c, pid = bidding.cast, bidding.project.id
    for country, proposal in bidding.proposals.items():
        body = {"eligible": country != "LT", "reason": "Late CVs" if country == "LT" else None}
        answer = _put(
            api, c.coordinator, f"/projects/{pid}/selection/eligibility/{proposal.id}", body
        )
        assert answer.status_code == 200, answer.json
    fr, de = bidding.proposals["FR"].id, bidding.proposals["DE"].id
    meeting = {
        "held_on": clock.now().date().isoformat(),
        "minutes_document_id": _minutes(api, bidding),
        "attendance": [
            {"proposal_id": fr, "leader_present": True, "rta_present": True},
            {"proposal_id": de, "leader_present": True, "rta_present": False},
        ],
        "scores": [{"proposal_id": fr, "score": 88.5, "rank": 1}],
        "reserve_proposal_id": de,
    }
    answer = _put(api, c.coordinator, f"/projects/{pid}/selection/meeting", meeting)
    assert answer.status_code == 200, answer.json
    read = api.as_(c.beneficiary).get(f"/projects/{pid}/selection")
    assert read.status_code == 200
    body = read.json
    assert body["record"]["reserve_member_state"] == "DE"
    assert body["default_held_on"] == (
        (bidding.project.proposal_deadline + timedelta(weeks=2)).date().isoformat()
    )
    rows = {p["member_state"]: p for p in body["proposals"]}
    assert (rows["LT"]["eligible"], rows["LT"]["eligibility_reason"]) == (False, "Late CVs")
    assert (rows["FR"]["score"], rows["FR"]["rank"], rows["DE"]["rta_present"]) == (
        "88.50",
        1,
        False,
    )
    assert body["editable"] is False  # the beneficiary reads, the coordinator writes


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"eligible": False}, "reason"),
        ({"eligible": "perhaps"}, "eligible"),
        ({"reason": "fine"}, "eligible"),
        ({"eligible": True, "colour": "red"}, "colour"),
    ],
)
def test_a_bad_eligibility_is_a_422_naming_the_field(api, bidding, body, field):
    c, pid, fr = bidding.cast, bidding.project.id, bidding.proposals["FR"].id
    answer = _put(api, c.coordinator, f"/projects/{pid}/selection/eligibility/{fr}", body)
    assert answer.status_code == 422
    assert field in error_of(answer)["details"]
    assert (
        api.as_(c.coordinator).get(f"/projects/{pid}/selection").json["proposals"][0]["eligible"]
        is None
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"held_on": "2099-01-01"}, "held_on"),
        ({"minutes_document_id": 999999}, "minutes_document_id"),
        ({"attendance": [{"proposal_id": 1}]}, "attendance"),
        ({"scores": [{"proposal_id": 1, "score": 101}]}, "scores"),
    ],
)
def test_a_bad_meeting_is_a_422_naming_the_field_and_changes_nothing(
    api, bidding, clock, change, field
):
    c, pid = bidding.cast, bidding.project.id
    for proposal in bidding.proposals.values():
        path = f"/projects/{pid}/selection/eligibility/{proposal.id}"
        _put(api, c.coordinator, path, {"eligible": True})
    meeting = {
        "held_on": clock.now().date().isoformat(),
        "minutes_document_id": _minutes(api, bidding),
        "attendance": [
            {"proposal_id": p.id, "leader_present": True, "rta_present": True}
            for p in bidding.proposals.values()
        ],
    } | change
    answer = _put(api, c.coordinator, f"/projects/{pid}/selection/meeting", meeting)
    assert answer.status_code == 422
    assert any(key.startswith(field) for key in error_of(answer)["details"]), answer.json
    assert api.as_(c.coordinator).get(f"/projects/{pid}/selection").json["record"] is None


def test_the_meeting_before_every_eligibility_is_a_conflict(api, bidding, clock):
    c, pid = bidding.cast, bidding.project.id
    meeting = {"held_on": clock.now().date().isoformat(), "minutes_document_id": 1}
    answer = _put(api, c.coordinator, f"/projects/{pid}/selection/meeting", meeting)
    assert answer.status_code == 409
    assert "eligibility of every proposal" in error_of(answer)["message"]


def test_others_may_not_write_and_member_states_read_only_their_own_result_after_the_choice(
    api, bidding, make, session
):
    c, pid = bidding.cast, bidding.project.id
    fr = bidding.proposals["FR"]
    path = f"/projects/{pid}/selection/eligibility/{fr.id}"
    assert _put(api, c.beneficiary, path, {"eligible": True}).status_code == 403
    assert _put(api, c.france, path, {"eligible": True}).status_code == 403
    assert api.as_(c.france).get(f"/projects/{pid}/selection").status_code == 404
    make.select(c.coordinator, bidding.project, fr)
    asked = make.fire(c.beneficiary, bidding.project, "select_partner")
    make.engine.decide(session, c.coordinator, asked.approval.id, "approve")
    for user, outcome in ((c.france, "selected"), (bidding.lithuania, "not_selected")):
        body = api.as_(user).get(f"/projects/{pid}/selection").json
        assert body["outcomes"] == [
            {"member_state": user.country, "outcome": outcome, "decided_at": None}
        ]
        assert body["proposals"] == [] and body["record"] is None
