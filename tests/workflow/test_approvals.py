"""Transitions that need the approval of several parties."""

from datetime import timedelta

import pytest

from tests.factories import Cast
from tests.workflow.helpers import snapshot
from twinflow.workflow.errors import Conflict, GuardFailed, InvalidData, NotPermitted


@pytest.fixture
def at_selection(make):
    cast = Cast(make)
    cast.to("selection")
    make.select(cast.coordinator, cast.project, cast.proposal)
    return cast


def test_the_requesters_party_counts_as_approved_and_the_other_party_is_owed(make, at_selection):
    cast = at_selection
    result = make.fire(cast.beneficiary, cast.project, "select_partner")
    assert result.applied is False
    assert result.approval.approved_parties == ["beneficiary"]
    assert result.approval.owed_parties == ["coordinator"]
    assert cast.project.state == "selection"


def test_the_last_approval_applies_the_transition_in_the_same_transaction(
    make, session, engine, at_selection
):
    cast = at_selection
    request = make.fire(cast.coordinator, cast.project, "select_partner").approval
    assert request.owed_parties == ["beneficiary"]
    result = engine.decide(session, cast.beneficiary, request.id, "approve", "Agreed")
    assert result.applied is True
    assert result.approval.status == "approved"
    assert cast.project.state == "work_plan"


def test_one_reject_closes_the_request_and_leaves_the_state_unchanged(
    make, session, engine, at_selection
):
    cast = at_selection
    request = make.fire(cast.beneficiary, cast.project, "select_partner").approval
    with pytest.raises(InvalidData):
        engine.decide(session, cast.coordinator, request.id, "reject")  # no comment
    result = engine.decide(session, cast.coordinator, request.id, "reject", "Weak RTA profile")
    assert result.applied is False and result.approval.status == "rejected"
    assert cast.project.state == "selection"
    with pytest.raises(Conflict):
        engine.decide(session, cast.coordinator, request.id, "approve")
    # A new request can be made after a rejection.
    assert make.fire(cast.beneficiary, cast.project, "select_partner").approval.id != request.id


def test_the_same_user_never_approves_twice_nor_for_two_parties(
    make, session, engine, at_selection
):
    cast = at_selection
    request = make.fire(cast.beneficiary, cast.project, "select_partner").approval
    before = snapshot(session, cast.project.id)
    with pytest.raises(Conflict):
        engine.decide(session, cast.beneficiary, request.id, "approve")
    assert snapshot(session, cast.project.id) == before


def test_a_party_not_owed_cannot_decide(make, session, engine, at_selection):
    cast = at_selection
    request = make.fire(cast.beneficiary, cast.project, "select_partner").approval
    for outsider in (cast.france, cast.other_beneficiary, cast.admin):
        with pytest.raises(NotPermitted):
            engine.decide(session, outsider, request.id, "approve")
    second_beneficiary = make.user("beneficiary")  # same administration, same party
    with pytest.raises(NotPermitted):
        engine.decide(session, second_beneficiary, request.id, "approve")


def test_a_second_request_for_the_same_trigger_is_refused_while_one_is_pending(make, at_selection):
    cast = at_selection
    make.fire(cast.beneficiary, cast.project, "select_partner")
    with pytest.raises(Conflict):
        make.fire(cast.coordinator, cast.project, "select_partner")


def test_a_request_is_refused_when_its_guard_fails_already(make):
    cast = Cast(make)
    cast.to("selection")  # nothing selected yet
    with pytest.raises(GuardFailed) as failed:
        make.fire(cast.beneficiary, cast.project, "select_partner")
    assert failed.value.guard == "one_proposal_selected"


def test_the_partner_appointed_is_the_proposal_marked_last_even_by_another_session(
    make, session, sa_engine, engine, clock
):
    """The guards and the appointment read the marks as committed, not as this session last
    saw them: another user re-marked the choice in a session of their own."""
    from sqlalchemy.orm import Session

    from tests.factories import Factory
    from twinflow.auth.models import User

    cast = Cast(make)
    project = cast.to("call_open")
    france, germany = make.proposal(cast.france, project), make.proposal(cast.germany, project)
    clock.set(project.proposal_deadline + timedelta(minutes=1))
    make.fire(cast.coordinator, project, "close_call")
    make.select(cast.coordinator, project, france)
    with Session(sa_engine, expire_on_commit=False) as other:
        Factory(other, engine, clock).select(other.get(User, cast.coordinator.id), project, germany)

    request = make.fire(cast.beneficiary, project, "select_partner").approval
    result = engine.decide(session, cast.coordinator, request.id, "approve")

    assert result.applied is True
    assert project.lead_member_state == "DE"


def test_pending_requests_are_withdrawn_when_the_project_moves_on(
    make, session, engine, at_selection
):
    cast = at_selection
    request = make.fire(cast.beneficiary, cast.project, "select_partner").approval
    make.fire(cast.coordinator, cast.project, "cancel", comment="Stopped")
    session.refresh(request)
    assert request.status == "withdrawn"
    with pytest.raises(Conflict):
        engine.decide(session, cast.coordinator, request.id, "approve")


def test_contract_signature_needs_the_contracting_authority_and_the_lead_member_state(
    make, session, engine
):
    cast = Cast(make)
    cast.to("contracting")
    request = make.fire(cast.france, cast.project, "sign_contract").approval
    # Direct management: the EU side (here the headquarters' coordinator) is the authority.
    assert request.owed_parties == ["contracting_authority"]
    with pytest.raises(NotPermitted):  # not the selected Member State
        engine.decide(session, cast.germany, request.id, "approve")
    engine.decide(session, cast.coordinator, request.id, "approve")
    assert cast.project.state == "implementation"


def test_approval_requests_and_decisions_are_audited_and_notify_the_owed_party(
    make, session, at_selection
):
    from sqlalchemy import select

    from twinflow.audit.models import AuditEvent
    from twinflow.notifications.models import Notification

    cast = at_selection
    make.fire(cast.beneficiary, cast.project, "select_partner")
    actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert actions[-1] == "approval_requested"
    told = session.scalars(
        select(Notification).where(Notification.kind == "approval_requested")
    ).all()
    assert [n.user_id for n in told] == [cast.coordinator.id]
