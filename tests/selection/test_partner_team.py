"""When the partner changes, its people leave with it: the withdrawn lead's project leader and
juniors stop holding their roles, the new lead names its own, and a rival never reads who they
were."""

from datetime import timedelta

import pytest

from tests.selection.test_result_and_reserve import _choose
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
