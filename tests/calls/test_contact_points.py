"""The call goes out through the National Contact Points: every NCP is told when a call round
opens; an NCP forwards it to its country's institutions, with an internal deadline only they
see."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.api.conftest import error_of
from twinflow.notifications.mail_queue import queue_pending_mails
from twinflow.notifications.models import Notification, OutboxEmail


@pytest.fixture
def ncps(make):
    """The NCPs of France and Germany (users of an organisation of kind `ncp`)."""
    out = {}
    for country in ("FR", "DE"):
        office = make.organisation(f"NCP {country}", kind="ncp", country=country)
        out[country] = make.user("member_state", country=country, organisation_id=office.id)
    return out


def _notices(session, kind):
    session.expire_all()
    return list(session.scalars(select(Notification).where(Notification.kind == kind)))


def test_every_ncp_is_told_in_the_app_and_by_email_when_a_call_round_opens(
    cast, ncps, make, session
):
    cast.to("call_open")
    told = _notices(session, "call_circulated")
    assert sorted(n.user_id for n in told) == sorted(u.id for u in ncps.values())
    assert all(cast.project.reference in n.subject for n in told)
    queue_pending_mails(session, make.clock.now())
    mailed = set(session.scalars(select(OutboxEmail.to_address)))
    assert {u.email for u in ncps.values()} <= mailed
    # An institution hears of the call from its NCP, not as an NCP.
    assert cast.france.id not in {n.user_id for n in told}


def test_a_new_call_round_tells_every_ncp_again(cast, ncps, make, session):
    project = cast.to("selection")
    make.fire(
        cast.coordinator,
        project,
        "recirculate",
        comment="No proposal was acceptable.",
        data={"proposal_deadline": (make.clock.now() + timedelta(weeks=6)).isoformat()},
    )
    told = _notices(session, "call_circulated")
    assert len(told) == 2 * len(ncps)
    assert sum("call round 2" in n.subject for n in told) == len(ncps)


def test_an_ncp_forwards_with_an_internal_deadline_only_its_countrys_institutions_see(
    api, cast, ncps, make, session, as_user
):
    project = cast.to("call_open")
    internal = project.proposal_deadline - timedelta(weeks=2)
    answer = api.as_(ncps["FR"]).post(
        f"/projects/{project.id}/call/forwarding",
        json={"internal_deadline": internal.isoformat(), "note": "Send drafts to the NCP."},
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["member_state"] == "FR"
    # France's institution sees it, on the API and the page, and was told.
    detail = api.as_(cast.france).get(f"/projects/{project.id}").json
    assert detail["call_forwarding"]["internal_deadline"].startswith(internal.strftime("%Y-%m-%d"))
    page = as_user(cast.france).text(f"/projects/{project.id}")
    assert 'data-testid="internal-deadline"' in page and "Send drafts to the NCP." in page
    told = _notices(session, "call_forwarded")
    assert [n.user_id for n in told] == [cast.france.id]
    # Nobody else learns it: another Member State, the coordinator, the beneficiary.
    for user in (cast.germany, ncps["DE"], cast.coordinator, cast.beneficiary):
        assert api.as_(user).get(f"/projects/{project.id}").json["call_forwarding"] is None
        forwarding = api.as_(user).get(f"/projects/{project.id}/call/forwarding")
        assert forwarding.status_code == 404
        assert "Send drafts" not in as_user(user).text(f"/projects/{project.id}")


@pytest.mark.parametrize(
    ("shift", "reason"),
    [
        (timedelta(days=1), "must not be after the call's proposal deadline"),
        (-timedelta(weeks=9), "must be in the future"),
    ],
)
def test_an_internal_deadline_after_the_call_or_in_the_past_is_refused_naming_it(
    api, cast, ncps, session, shift, reason
):
    project = cast.to("call_open")
    refused = api.as_(ncps["FR"]).post(
        f"/projects/{project.id}/call/forwarding",
        json={"internal_deadline": (project.proposal_deadline + shift).isoformat()},
    )
    assert refused.status_code == 422
    assert reason in error_of(refused)["details"]["internal_deadline"][0]
    assert _notices(session, "call_forwarded") == []


def test_only_an_ncp_forwards_and_only_an_open_call(api, cast, ncps, make):
    project = cast.to("call_open")
    path = f"/projects/{project.id}/call/forwarding"
    assert api.as_(cast.france).post(path, json={}).status_code == 403
    assert api.as_(cast.coordinator).post(path, json={}).status_code == 403
    make.clock.set(project.proposal_deadline + timedelta(minutes=1))
    assert api.as_(ncps["FR"]).post(path, json={}).status_code == 409


def test_an_ncp_forwards_from_the_project_page(as_user, cast, ncps):
    project = cast.to("call_open")
    ncp = as_user(ncps["DE"])
    page = ncp.text(f"/projects/{project.id}")
    assert 'data-testid="forward-call"' in page
    assert 'data-testid="forward-call"' not in as_user(cast.germany).text(f"/projects/{project.id}")
    late = (project.proposal_deadline + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    refused = ncp.post(
        f"/projects/{project.id}/call/forward",
        {"internal_deadline": late},
        token_from=f"/projects/{project.id}",
    )
    assert refused.status_code == 422
    assert "must not be after the call&#39;s proposal deadline" in refused.get_data(as_text=True)
    early = (project.proposal_deadline - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    done = ncp.post(
        f"/projects/{project.id}/call/forward",
        {"internal_deadline": early},
        token_from=f"/projects/{project.id}",
    )
    assert done.status_code == 302
    shown = as_user(cast.germany).text(f"/projects/{project.id}")
    assert 'data-testid="internal-deadline"' in shown


def test_an_administrator_makes_a_member_state_user_its_countrys_ncp(api, cast, make):
    office = make.organisation("NCP France", kind="ncp", country="FR")
    project = cast.to("call_open")
    path = f"/projects/{project.id}/call/forwarding"
    assert api.as_(cast.france).post(path, json={}).status_code == 403
    body = {"organisation_id": office.id}
    made = api.as_(cast.admin).patch(f"/users/{cast.france.id}", json=body)
    assert made.status_code == 200, made.json
    assert api.as_(cast.france).post(path, json={}).status_code == 200
