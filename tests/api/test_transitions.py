"""Firing triggers: statuses, If-Match against the ETag, and Idempotency-Key replays."""

from sqlalchemy import func, select

from tests.api.conftest import error_of
from twinflow.audit.models import AuditEvent

SUBMIT = {"trigger": "submit_fiche"}


def _path(project):
    return f"/projects/{project.id}/transitions"


def _transitions(session, project) -> int:
    return session.scalar(
        select(func.count()).where(
            AuditEvent.project_id == project.id, AuditEvent.action == "transition"
        )
    )


def test_a_trigger_not_valid_in_the_state_is_409_and_an_unknown_one_422(api, cast):
    client = api.as_(cast.coordinator)
    wrong_state = client.post(_path(cast.project), json={"trigger": "close_call"})
    assert wrong_state.status_code == 409
    assert error_of(wrong_state)["code"] == "invalid_in_state"
    unknown = client.post(_path(cast.project), json={"trigger": "teleport"})
    assert unknown.status_code == 422
    assert "trigger" in error_of(unknown)["details"]


def test_a_failed_guard_and_invalid_data_are_422_naming_the_problem(api, cast, make):
    project = cast.to("call_open")
    client = api.as_(cast.coordinator)
    early = client.post(_path(project), json={"trigger": "close_call"})
    assert early.status_code == 422
    assert error_of(early)["code"] == "guard_failed"
    fresh = make.project(cast.beneficiary)
    make.fire(cast.beneficiary, fresh, "submit_fiche")
    bad = client.post(
        _path(fresh),
        json={"trigger": "approve_fiche", "data": {"proposal_deadline": "soon", "extra": 1}},
    )
    assert bad.status_code == 422
    assert set(error_of(bad)["details"]) == {"data.proposal_deadline", "data.extra"}


def test_the_etag_is_the_version_and_a_stale_if_match_is_409(api, cast, session):
    client = api.as_(cast.beneficiary)
    shown = client.get(f"/projects/{cast.project.id}")
    etag = shown.headers["ETag"]
    assert etag == f'"{shown.json["version"]}"'
    stale = client.post(_path(cast.project), json=SUBMIT, headers={"If-Match": '"999"'})
    assert stale.status_code == 409
    assert error_of(stale)["code"] == "stale_version"
    assert _transitions(session, cast.project) == 0
    fired = client.post(_path(cast.project), json=SUBMIT, headers={"If-Match": etag})
    assert fired.status_code == 200
    assert fired.headers["ETag"] == f'"{fired.json["project"]["version"]}"' != etag
    again = client.post(_path(cast.project), json={"trigger": "cancel"}, headers={"If-Match": etag})
    assert again.status_code in (403, 409)


def test_if_match_that_is_not_an_etag_is_refused(api, cast):
    answer = api.as_(cast.beneficiary).post(
        _path(cast.project), json=SUBMIT, headers={"If-Match": "yesterday"}
    )
    assert answer.status_code == 422
    assert "If-Match" in error_of(answer)["details"]


def test_a_retry_with_the_same_idempotency_key_replays_and_fires_nothing(api, cast, session):
    client = api.as_(cast.beneficiary)
    headers = {"Idempotency-Key": "retry-1"}
    first = client.post(_path(cast.project), json=SUBMIT, headers=headers)
    second = client.post(_path(cast.project), json=SUBMIT, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json == second.json
    assert second.headers["Idempotent-Replayed"] == "true"
    assert _transitions(session, cast.project) == 1
    # Without the key, the same request is a new one: now invalid in the state.
    assert client.post(_path(cast.project), json=SUBMIT).status_code == 409


def test_the_same_key_with_another_request_is_refused_clearly(api, cast):
    client = api.as_(cast.beneficiary)
    headers = {"Idempotency-Key": "retry-2"}
    assert client.post(_path(cast.project), json=SUBMIT, headers=headers).status_code == 200
    other = client.post(_path(cast.project), json={"trigger": "cancel"}, headers=headers)
    assert other.status_code == 422
    assert "different request" in error_of(other)["message"]


def test_keys_belong_to_their_user(api, cast, make):
    mine = make.project(cast.beneficiary)
    headers = {"Idempotency-Key": "shared-key"}
    first = api.as_(cast.beneficiary).post(_path(mine), json=SUBMIT, headers=headers)
    assert first.status_code == 200
    coordinator = api.as_(cast.coordinator)
    # The coordinator's identical key is its own: its request really runs (and is refused).
    assert coordinator.post(_path(mine), json=SUBMIT, headers=headers).status_code == 403


def test_a_refused_request_is_not_stored_so_a_corrected_retry_runs(api, cast, make):
    project = make.project(cast.beneficiary)
    make.fire(cast.beneficiary, project, "submit_fiche")
    client = api.as_(cast.coordinator)
    headers = {"Idempotency-Key": "approve-once"}
    body = {"trigger": "approve_fiche", "data": {"proposal_deadline": "2000-01-01T00:00:00Z"}}
    assert client.post(_path(project), json=body, headers=headers).status_code == 422
    body["data"]["proposal_deadline"] = "2027-06-01T12:00:00Z"
    retried = client.post(_path(project), json=body, headers=headers)
    assert retried.status_code == 200, retried.json
    assert retried.json["project"]["state"] == "call_open"


def test_an_idempotency_key_must_be_printable_ascii(api, cast):
    answer = api.as_(cast.beneficiary).post(
        _path(cast.project), json=SUBMIT, headers={"Idempotency-Key": "x" * 201}
    )
    assert answer.status_code == 422


def test_a_two_party_transition_answers_202_with_the_approval(api, cast, make):
    project = cast.to("selection")
    make.select(cast.coordinator, project, cast.proposal)
    answer = api.as_(cast.beneficiary).post(_path(project), json={"trigger": "select_partner"})
    assert answer.status_code == 202
    assert answer.json["applied"] is False
    assert answer.json["approval"]["status"] == "pending"
    assert answer.json["approval"]["owed_parties"] == ["coordinator"]
    shown = api.as_(cast.coordinator).get(f"/projects/{project.id}").json
    assert shown["pending_approvals"][0]["awaiting_you"] is True
    rejected = api.as_(cast.coordinator).post(
        f"/approvals/{answer.json['approval']['id']}", json={"decision": "reject"}
    )
    assert rejected.status_code == 422
    assert "comment" in error_of(rejected)["details"]
