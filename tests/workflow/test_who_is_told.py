"""Who hears of a state change: the parties who act from the new state, the beneficiary, and
every party named in the `notify` list of a deadline the new state sets, even when that list is
the only place the state mentions them."""

from sqlalchemy import select

from tests.factories import Cast
from twinflow.notifications.models import Notification


def _told_of(session, state_label: str) -> set[int]:
    notes = session.scalars(select(Notification).where(Notification.kind == "state_changed"))
    return {n.user_id for n in notes if f"] {state_label}: " in n.subject}


def test_every_member_state_is_told_when_the_call_opens(make, session):
    """Only the deadline `proposals_due` names Member States in the call; nobody but the
    coordinator acts there."""
    cast = Cast(make)
    cast.to("call_open")
    told = _told_of(session, "Call open")
    assert {cast.france.id, cast.germany.id, cast.beneficiary.id} <= told
    assert cast.coordinator.id not in told  # the one who opened it
    assert cast.other_beneficiary.id not in told


def test_the_lead_member_state_is_told_when_implementation_resumes_and_when_it_ends(make, session):
    """Only the coordinator acts from implementation and final reporting; the lead Member
    State is named there by the deadlines' notify lists alone."""
    cast = Cast(make)
    cast.to("implementation")
    make.fire(cast.coordinator, cast.project, "suspend", comment="Elections")
    make.fire(cast.coordinator, cast.project, "resume", comment="Back")
    assert cast.france.id in _told_of(session, "Implementation")
    cast.to("final_reporting")
    told = _told_of(session, "Final reporting")
    assert {cast.france.id, cast.beneficiary.id} <= told
    assert cast.germany.id not in told  # not the partner: no business of theirs


def _notice_to(session, user, state_label: str) -> str:
    notes = session.scalars(
        select(Notification).where(
            Notification.kind == "state_changed", Notification.user_id == user.id
        )
    )
    (body,) = [n.body for n in notes if f"] {state_label}: " in n.subject]
    return body


def test_a_state_change_notice_names_who_acted(make, session):
    """Named in a notice to every Member State: the coordinator; to the project's parties: the
    lead partner's user too (only a Member State user is withheld from every Member State)."""
    cast = Cast(make)
    cast.to("call_open")
    opened = _notice_to(session, cast.france, "Call open")
    assert opened.startswith(f"{cast.coordinator.display_name} did 'Approve the fiche")
    cast.to("work_plan")  # France is the lead partner
    make.fire(cast.france, cast.project, "submit_contract")
    submitted = _notice_to(session, cast.beneficiary, "Contracting")
    assert submitted.startswith(f"{cast.france.display_name} did 'Submit the contract")


def test_a_notice_to_every_member_state_does_not_name_the_member_state_user_who_acted(
    make, session
):
    """An edition where every Member State also signs the contract: the lead partner's request
    reaches its rivals, who must not learn which of its users made it."""
    from tests.workflow.editions import edition

    cast = Cast(make)
    cast.to("contracting")  # France is the lead partner
    signers = (
        "signoff: [contracting_authority, {party: lead_member_state, person: ms_project_leader}"
    )
    everyone_signs = {signers + "]\n": signers + ", member_state]\n"}
    cast.project.workflow_version = edition(session, everyone_signs)
    session.commit()
    make.fire(cast.france, cast.project, "sign_contract")
    notes = session.scalars(
        select(Notification).where(Notification.kind == "approval_requested")
    ).all()
    to_germany = [n.body for n in notes if n.user_id == cast.germany.id]
    assert len(to_germany) == 1
    assert to_germany[0].startswith("a Member State user asks to sign the contract")
    assert all(cast.france.display_name not in n.body for n in notes)
