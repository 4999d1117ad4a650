"""Choosing the partner tells every Member State that proposed its own result, once, in the
app and by e-mail; the reserve can later be taken up, the lead rights moving at once."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.selection.conftest import all_eligible, meeting_values
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.scheduler import run_pass
from twinflow.notifications.models import Notification
from twinflow.selection import operations as selection
from twinflow.workflow.errors import GuardFailed, InvalidData


def _choose(session, engine, make, clock, bidding, minutes, reserve="DE"):
    """France chosen, Germany the reserve, Lithuania not chosen."""
    c, project = bidding.cast, bidding.project
    all_eligible(session, engine, bidding)
    values = meeting_values(bidding, minutes(bidding), clock.now().date(), reserve=reserve)
    selection.record_meeting(session, engine, c.coordinator, project.id, values)
    make.select(c.coordinator, project, bidding.proposals["FR"])
    asked = make.fire(c.beneficiary, project, "select_partner")
    make.engine.decide(session, c.coordinator, asked.approval.id, "approve")
    session.refresh(project)


def _results(session, user) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification).where(
                Notification.user_id == user.id, Notification.kind == "selection_result"
            )
        )
    )


def test_every_member_state_that_proposed_is_told_its_own_result_once_and_nothing_of_rivals(
    session, engine, make, clock, bidding, minutes, pass_settings, smtp_server
):
    c = bidding.cast
    france_colleague = make.user("member_state", country="FR")
    bystander = make.user("member_state", country="IT")  # proposed nothing
    _choose(session, engine, make, clock, bidding, minutes)
    day = f"{clock.now():%d %B %Y}"
    expected = {
        c.france: "was selected",
        france_colleague: "was selected",
        c.germany: "it is the reserve",
        bidding.lithuania: "was not selected",
    }
    rivals = {"France", "Germany", "Lithuania"}
    for user, words in expected.items():
        [notice] = _results(session, user)
        assert words in notice.body and f"decided on {day}" in notice.body
        own = {"FR": "France", "DE": "Germany", "LT": "Lithuania"}[user.country]
        assert not [name for name in rivals - {own} if name in notice.body], notice.body
    assert _results(session, bystander) == []
    assert _results(session, c.beneficiary) == []

    run_pass(session, clock, pass_settings)
    run_pass(session, clock, pass_settings)  # a second pass sends nothing again
    mails = [m for m in smtp_server.messages if "Selection result" in m["Subject"]]
    assert sorted(m["To"] for m in mails) == sorted(u.email for u in expected)


def test_a_project_chosen_without_a_reserve_tells_the_others_they_were_not_selected(
    session, engine, make, clock, bidding, minutes
):
    _choose(session, engine, make, clock, bidding, minutes, reserve=None)
    [notice] = _results(session, bidding.cast.germany)
    assert "was not selected" in notice.body


def test_the_meeting_deadline_left_unrecorded_stops_reminding_once_the_partner_is_chosen(
    session, make, bidding
):
    c, project = bidding.cast, bidding.project
    c.to("work_plan")
    meeting = session.scalars(
        select(Deadline).where(
            Deadline.project_id == project.id, Deadline.key == "selection_meeting"
        )
    ).one()
    assert (meeting.status, meeting.next_alert_at) == ("superseded", None)


@pytest.mark.parametrize("stage", ["work_plan", "contracting"])
def test_the_reserve_is_taken_up_and_the_lead_rights_move_at_once(
    session, engine, make, clock, bidding, minutes, stage
):
    c, project = bidding.cast, bidding.project
    _choose(session, engine, make, clock, bidding, minutes)
    if stage == "contracting":
        make.fire(c.france, project, "submit_contract")
    assert "lead_member_state" in engine.parties(session, c.france, project)
    clock.advance(days=20)
    asked = make.fire(
        c.beneficiary, project, "take_up_reserve", comment="France withdrew its RTA"
    ).approval
    # Until the coordinator agrees, France is still the partner.
    assert "lead_member_state" in engine.parties(session, c.france, project)
    make.engine.decide(session, c.coordinator, asked.id, "approve")
    session.refresh(project)
    assert (project.state, project.lead_member_state) == ("work_plan", "DE")
    assert "lead_member_state" not in engine.parties(session, c.france, project)
    assert "lead_member_state" in engine.parties(session, c.germany, project)
    assert bidding.proposals["DE"].is_selected and not bidding.proposals["FR"].is_selected
    make.fire(c.germany, project, "submit_contract")  # the new lead acts as the lead
    session.refresh(project)
    assert project.state == "contracting"
    contract = sorted(
        d.status
        for d in session.scalars(select(Deadline).where(Deadline.project_id == project.id))
        if d.key == "contract_signed"
    )
    # The withdrawn partner's contract deadline is superseded, not met; the new one is open.
    assert contract == (["open", "superseded"] if stage == "contracting" else ["open"])
    told = [n.body for n in _results(session, c.france)]
    assert any("no longer the partner" in body for body in told)
    assert any("was taken up" in n.body for n in _results(session, c.germany))


def test_the_reserve_is_taken_up_only_with_a_comment_and_only_once(
    session, engine, make, clock, bidding, minutes
):
    c, project = bidding.cast, bidding.project
    _choose(session, engine, make, clock, bidding, minutes)
    with pytest.raises(InvalidData) as refused:
        make.fire(c.beneficiary, project, "take_up_reserve")
    assert list(refused.value.details) == ["comment"]
    asked = make.fire(c.beneficiary, project, "take_up_reserve", comment="France withdrew")
    make.engine.decide(session, c.coordinator, asked.approval.id, "approve")
    with pytest.raises(GuardFailed, match="already been taken up"):
        make.fire(c.beneficiary, project, "take_up_reserve", comment="Germany withdrew too")


def test_without_a_reserve_there_is_nothing_to_take_up(
    session, engine, make, clock, bidding, minutes
):
    _choose(session, engine, make, clock, bidding, minutes, reserve=None)
    with pytest.raises(GuardFailed, match="names no reserve"):
        make.fire(bidding.cast.beneficiary, bidding.project, "take_up_reserve", comment="gone")


def test_the_reserve_cannot_be_the_one_chosen(session, engine, make, clock, bidding, minutes):
    c, project = bidding.cast, bidding.project
    all_eligible(session, engine, bidding)
    values = meeting_values(bidding, minutes(bidding), clock.now().date(), reserve="DE")
    selection.record_meeting(session, engine, c.coordinator, project.id, values)
    make.select(c.coordinator, project, bidding.proposals["DE"])
    with pytest.raises(GuardFailed, match="is the reserve"):
        make.fire(c.beneficiary, project, "select_partner")
    assert clock.now() - project.proposal_deadline < timedelta(days=14)
