"""A failed selection, a withdrawn partner or failed negotiations send the fiche out again as a
numbered call round; the project keeps its reference, fiche and history."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import Cast
from twinflow.deadlines.models import Deadline
from twinflow.proposals.models import Proposal
from twinflow.proposals.operations import visible_proposals
from twinflow.workflow.errors import InvalidData, NotPermitted


def _recirculate(make, cast, comment="No proposal met the fiche's requirements.", **data):
    deadline = make.clock.now() + timedelta(weeks=6)
    return make.fire(
        cast.coordinator,
        cast.project,
        "recirculate",
        comment=comment,
        data={"proposal_deadline": deadline.isoformat()} | data,
    )


def _deadlines(session, project):
    session.expire_all()
    return {
        (d.key, d.status)
        for d in session.scalars(select(Deadline).where(Deadline.project_id == project.id))
    }


@pytest.mark.parametrize("stage", ["selection", "work_plan", "contracting"])
def test_a_coordinator_recirculates_from_selection_work_plan_and_contracting(make, session, stage):
    cast = Cast(make)
    project = cast.to(stage)
    reference = project.reference
    _recirculate(make, cast)
    assert project.state == "call_open"
    assert project.call_round == 2 and project.reference == reference
    assert project.proposal_deadline > make.clock.now()
    # What the left-behind state asked for stopped applying; the new call has its deadline.
    kinds = _deadlines(session, project)
    assert ("proposals_due", "open") in kinds
    left = {"selection": "selection_meeting", "work_plan": "work_plan_agreed"}
    left["contracting"] = "contract_signed"
    assert (left[stage], "cancelled") in kinds
    assert (left[stage], "met") not in kinds


def test_recirculating_after_the_call_needs_a_comment_and_a_new_future_deadline(make):
    cast = Cast(make)
    project = cast.to("selection")
    with pytest.raises(InvalidData) as refused:
        make.fire(cast.coordinator, project, "recirculate")
    assert set(refused.value.errors) == {"comment", "data.proposal_deadline"}
    with pytest.raises(InvalidData) as refused:
        _recirculate(make, cast, proposal_deadline=make.clock.now().isoformat())
    assert refused.value.errors == {"data.proposal_deadline": ["must be in the future"]}
    assert project.state == "selection" and project.call_round == 1


def test_only_a_coordinator_recirculates(make):
    cast = Cast(make)
    project = cast.to("selection")
    with pytest.raises(NotPermitted):
        make.fire(
            cast.beneficiary,
            project,
            "recirculate",
            comment="no",
            data={"proposal_deadline": (make.clock.now() + timedelta(weeks=6)).isoformat()},
        )
    assert project.state == "selection"


def test_the_previous_lead_loses_its_lead_rights_at_once(make):
    cast = Cast(make)
    project = cast.to("work_plan")
    assert "lead_member_state" in make.engine.parties(make.session, cast.france, project)
    _recirculate(make, cast, comment="France withdrew.")
    assert project.lead_member_state is None
    assert "lead_member_state" not in make.engine.parties(make.session, cast.france, project)


def test_round_two_takes_its_own_proposals_and_its_own_choice(make, session, clock):
    cast = Cast(make)
    project = cast.to("work_plan")  # France chosen in round 1
    round_one = cast.proposal
    _recirculate(make, cast, comment="France withdrew.")
    # A Member State may propose again in the new round (one proposal per round).
    german = make.proposal(cast.germany, project)
    french = make.proposal(cast.france, project)
    assert (german.call_round, french.call_round) == (2, 2)
    clock.set(project.proposal_deadline + timedelta(minutes=1))
    make.fire(cast.coordinator, project, "close_call")
    make.select(cast.coordinator, project, german)
    result = make.fire(cast.beneficiary, project, "select_partner")
    make.engine.decide(session, cast.coordinator, result.approval.id, "approve")
    assert project.lead_member_state == "DE"
    # Round 1 keeps its own decision.
    session.refresh(round_one)
    assert round_one.is_selected and round_one.call_round == 1
    rounds = {
        (p.member_state, p.call_round, p.is_selected)
        for p in session.scalars(select(Proposal).where(Proposal.project_id == project.id))
    }
    assert rounds == {("FR", 1, True), ("FR", 2, False), ("DE", 2, True)}


def test_round_one_stays_readable_to_its_own_and_the_choosers_and_sealed_from_rivals(make):
    cast = Cast(make)
    project = cast.to("selection")  # France proposed in round 1
    _recirculate(make, cast)
    make.proposal(cast.germany, project)  # a round-2 bidder

    def seen(user):
        shown = visible_proposals(make.session, user, project)
        return {(p.member_state, p.call_round) for p in shown}

    # While round 2 is open: round 1 stays readable to its Member State and to the choosers...
    assert seen(cast.france) == {("FR", 1)}
    assert seen(cast.coordinator) == {("FR", 1)}
    assert seen(cast.beneficiary) == {("FR", 1)}
    # ...and sealed from the round-2 rival, who sees only its own.
    assert seen(cast.germany) == {("DE", 2)}
