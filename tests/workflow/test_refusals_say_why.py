"""What the engine tells a caller it refuses, and what it records and sends when it accepts:
the details a client or a reader of the audit trail relies on."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import Cast
from twinflow.audit.models import AuditEvent
from twinflow.notifications.models import Notification
from twinflow.workflow.errors import (
    InvalidData,
    InvalidInState,
    NotFound,
    NotPermitted,
    StaleVersion,
)


def test_a_party_who_may_not_fire_a_trigger_is_told_who_may(make):
    cast = Cast(make)
    with pytest.raises(NotPermitted) as refused:
        make.fire(cast.coordinator, cast.project, "submit_fiche")
    assert refused.value.details == {"trigger": "submit_fiche", "parties": ["beneficiary"]}


def test_a_trigger_not_possible_in_the_state_is_refused_naming_the_state(make):
    cast = Cast(make)
    with pytest.raises(InvalidInState) as refused:
        make.fire(cast.coordinator, cast.project, "close_call")
    assert refused.value.message == (
        "Close the call is not possible while the project is at the stage “Fiche drafting”."
    )
    assert refused.value.details == {"trigger": "close_call", "state": "fiche_drafting"}


def test_a_stale_version_is_refused_naming_the_version_held_and_the_current_one(make):
    cast = Cast(make)
    held = cast.project.version
    make.fire(cast.beneficiary, cast.project, "submit_fiche")
    with pytest.raises(StaleVersion) as refused:
        make.fire(
            cast.coordinator, cast.project, "return_fiche", comment="No.", expected_version=held
        )
    assert refused.value.details == {
        "expected_version": held,
        "current_version": cast.project.version,
    }


def test_a_decision_other_than_approve_or_reject_is_refused_naming_the_field(make, session, engine):
    cast = Cast(make)
    cast.to("contracting")
    request = make.fire(cast.coordinator, cast.project, "sign_contract").approval
    with pytest.raises(InvalidData) as refused:
        engine.decide(session, cast.france, request.id, "maybe")
    assert refused.value.errors == {"decision": ["must be 'approve' or 'reject'"]}
    assert request.status == "pending"


def test_deciding_an_unknown_request_or_firing_on_an_unknown_project_is_not_found(
    make, session, engine
):
    cast = Cast(make)
    with pytest.raises(NotFound, match="No approval request 999"):
        engine.decide(session, cast.coordinator, 999, "approve")
    with pytest.raises(NotFound, match="No project 999"):
        engine.fire(session, cast.coordinator, 999, "cancel", comment="Gone")


def test_a_rejection_tells_the_requester_why(make, session, engine):
    cast = Cast(make)
    cast.to("contracting")
    request = make.fire(cast.coordinator, cast.project, "sign_contract").approval
    engine.decide(session, cast.france, request.id, "reject", "Annex II is missing.")
    told = session.scalars(select(Notification).where(Notification.kind == "approval_rejected"))
    assert [(n.user_id, n.body) for n in told] == [
        (
            cast.coordinator.id,
            f"{cast.france.display_name} (lead_member_state) rejected: Annex II is missing.",
        )
    ]


def test_the_audit_trail_records_who_asked_for_an_approval_as_which_party_and_who_is_owed(
    make, session
):
    cast = Cast(make)
    cast.to("contracting")
    request = make.fire(cast.france, cast.project, "sign_contract", comment="Signed").approval
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "approval_requested", AuditEvent.trigger == "sign_contract"
        )
    ).one()
    assert (event.actor_id, event.trigger) == (cast.france.id, "sign_contract")
    assert json.loads(event.data) == {
        "approval_id": request.id,
        "party": "lead_member_state",
        "comment": "Signed",
        "owed": ["contracting_authority"],
    }


def test_ending_implementation_early_moves_its_end_to_that_day(make, clock):
    cast = Cast(make)
    project = cast.to("implementation")
    clock.set(project.implementation_end - timedelta(days=30))
    make.fire(cast.coordinator, project, "end_implementation")
    assert project.implementation_end == clock.now()


def test_ending_implementation_after_its_end_keeps_the_end_date(make, clock):
    cast = Cast(make)
    project = cast.to("implementation")
    end = project.implementation_end
    clock.set(end + timedelta(days=3))
    make.fire(cast.coordinator, project, "end_implementation")
    assert project.implementation_end == end
