"""When the partner changes, its people leave with it: the withdrawn lead's project leader and
juniors stop holding their roles, the new lead names its own, and a rival never reads who they
were."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.api.conftest import ApiClient
from tests.factories import Cast
from tests.selection.test_result_and_reserve import _choose
from twinflow.audit.models import AuditEvent
from twinflow.audit.permissions import event_visible
from twinflow.team import operations as team
from twinflow.team.people import member_on
from twinflow.workflow.errors import Conflict, NotPermitted


def _name_france_team(session, engine, bidding):
    c, project = bidding.cast, bidding.project
    for values in (
        {"role": "ms_project_leader", "name": "Jeanne Martin", "email": "jeanne@fr.example"},
        {"role": "junior_ms_partner", "name": "Marco Rossi", "country": "IT"},
    ):
        team.add_team_member(session, engine, c.france, project.id, values)


def _names(session, engine, user, project) -> set[str]:
    return {m.name for m in team.team(session, engine, user, project.id)}


def _leader(user, name="Hans Weber"):
    return {"role": "ms_project_leader", "name": name, "country": user.country}


@pytest.mark.parametrize("stage", ["work_plan", "contracting"])
def test_the_withdrawn_partners_people_leave_with_it_when_the_reserve_is_taken_up(
    session, engine, make, clock, bidding, minutes, stage
):
    c, project = bidding.cast, bidding.project
    _choose(session, engine, make, clock, bidding, minutes)
    _name_france_team(session, engine, bidding)
    if stage == "contracting":
        make.fire(c.france, project, "submit_contract")
    # While France is the partner, a second project leader needs a side letter.
    with pytest.raises(Conflict):
        team.add_team_member(
            session, engine, c.france, project.id, _leader(c.france, "Pierre Durand")
        )
    clock.advance(days=20)
    asked = make.fire(c.beneficiary, project, "take_up_reserve", comment="France withdrew").approval
    make.engine.decide(session, c.coordinator, asked.id, "approve")
    session.refresh(project)
    assert project.lead_member_state == "DE"

    ended = {m.name: m.ends_on for m in team.team(session, engine, c.coordinator, project.id)}
    yesterday = clock.now().date() - timedelta(days=1)
    assert ended == {"Jeanne Martin": yesterday, "Marco Rossi": yesterday}
    # Germany names its own leader at once; it never reads who France had named.
    team.add_team_member(session, engine, c.germany, project.id, _leader(c.germany))
    assert _names(session, engine, c.germany, project) == {"Hans Weber"}
    with pytest.raises(NotPermitted):  # no party any more: nothing of the team to read
        team.team(session, engine, c.france, project.id)
    assert _names(session, engine, c.coordinator, project) == {
        "Jeanne Martin", "Marco Rossi", "Hans Weber"
    }  # fmt: skip
    # The person-bound slot of the contract now waits for Germany's leader, not France's.
    leader = member_on(session, project.id, "ms_project_leader", clock.now().date())
    assert leader.name == "Hans Weber"


def test_a_recirculated_call_ends_the_old_leads_people_and_frees_the_roles(
    session, engine, make, clock, bidding, minutes
):
    c, project = bidding.cast, bidding.project
    _choose(session, engine, make, clock, bidding, minutes)
    _name_france_team(session, engine, bidding)
    make.fire(c.france, project, "submit_contract")
    clock.advance(days=3)
    make.fire(
        c.coordinator, project, "recirculate", comment="France withdrew from the negotiations.",
        data={"proposal_deadline": (clock.now() + timedelta(weeks=6)).isoformat()},
    )  # fmt: skip
    session.refresh(project)
    assert (project.state, project.lead_member_state) == ("call_open", None)
    today = clock.now().date()
    assert member_on(session, project.id, "ms_project_leader", today) is None
    assert member_on(session, project.id, "junior_ms_partner", today) is None
    assert _names(session, engine, c.coordinator, project) == {"Jeanne Martin", "Marco Rossi"}


@pytest.fixture
def api(app):
    app.config["API_TOKEN_HOURS"] = 24 * 365  # the clock moves by months here
    return ApiClient(app.test_client())


def test_the_next_round_lead_reads_nothing_of_the_withdrawn_partners_records_in_any_adapter(
    session, engine, make, clock, api
):
    cast = Cast(make)
    project = cast.to("work_plan")  # France chosen in round 1
    team.add_team_member(
        session, engine, cast.france, project.id,
        {"role": "junior_ms_partner", "name": "Marco Rossi", "country": "IT"},
    )  # fmt: skip
    clock.advance(days=2)
    make.fire(
        cast.coordinator, project, "recirculate", comment="France withdrew.",
        data={"proposal_deadline": (clock.now() + timedelta(weeks=6)).isoformat()},
    )  # fmt: skip
    german = make.proposal(cast.germany, project)
    clock.set(project.proposal_deadline + timedelta(minutes=1))
    make.fire(cast.coordinator, project, "close_call")
    make.select(cast.coordinator, project, german)
    asked = make.fire(cast.beneficiary, project, "select_partner")
    make.engine.decide(session, cast.coordinator, asked.approval.id, "approve")
    assert project.lead_member_state == "DE"

    def actions(user) -> list[str]:
        answer = api.as_(user).get(f"/projects/{project.id}/audit?per_page=100")
        assert answer.status_code == 200
        return [e["action"] for e in answer.json]

    assert "team_member_added" in actions(cast.coordinator)
    trail = f"/projects/{project.id}/audit?per_page=100"
    assert "Marco Rossi" in api.as_(cast.coordinator).get(trail).get_data(as_text=True)
    assert "team_member_added" not in actions(cast.germany)
    assert "Marco Rossi" not in api.as_(cast.germany).get(trail).get_data(as_text=True)
    assert "transition" in actions(cast.germany)  # the lifecycle stays for everyone
    python_rule = [
        e.action
        for e in session.scalars(select(AuditEvent).where(AuditEvent.project_id == project.id))
        if event_visible(cast.germany, project, e, json.loads(e.data))
    ]
    assert "team_member_added" not in python_rule and "transition" in python_rule
    # Germany names its own leader; it reads that one's record.
    team.add_team_member(
        session, engine, cast.germany, project.id,
        {"role": "ms_project_leader", "name": "Hans Weber", "country": "DE"},
    )  # fmt: skip
    assert actions(cast.germany).count("team_member_added") == 1


def test_the_reserve_taken_up_reads_nothing_of_the_withdrawn_partners_team_in_the_trail(
    session, engine, make, clock, bidding, minutes, api
):
    c, project = bidding.cast, bidding.project
    _choose(session, engine, make, clock, bidding, minutes)
    _name_france_team(session, engine, bidding)
    asked = make.fire(c.beneficiary, project, "take_up_reserve", comment="France withdrew").approval
    make.engine.decide(session, c.coordinator, asked.id, "approve")
    team.add_team_member(session, engine, c.germany, project.id, _leader(c.germany))
    trail = f"/projects/{project.id}/audit?per_page=100"

    def added(user) -> list[str]:
        events = api.as_(user).get(trail).json
        return [e["data"]["name"] for e in events if e["action"] == "team_member_added"]

    assert added(c.coordinator) == ["Jeanne Martin", "Marco Rossi", "Hans Weber"]
    assert added(c.germany) == ["Hans Weber"]
    shown = [
        json.loads(e.data).get("name")
        for e in session.scalars(select(AuditEvent).where(AuditEvent.project_id == project.id))
        if e.action == "team_member_added"
        and event_visible(c.germany, project, e, json.loads(e.data))
    ]
    assert shown == ["Hans Weber"]
