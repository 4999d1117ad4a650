"""The in-app inbox: what a user was told, newest first, with an unread count."""

import pytest

from tests.factories import Cast
from twinflow.notifications.inbox import inbox, mark_read, unread_count
from twinflow.notifications.mail_queue import queue_pending_mails
from twinflow.workflow.errors import InvalidData


def test_moving_a_project_fills_the_inbox_of_those_concerned_newest_first(make, session):
    cast = Cast(make)
    cast.to("call_open")
    mine = inbox(session, cast.coordinator)
    assert [n.kind for n in mine] == ["state_changed"]  # the fiche came in for review
    beneficiary = inbox(session, cast.beneficiary)
    assert [n.subject.split("] ")[1].split(":")[0] for n in beneficiary] == ["Call open"]
    assert unread_count(session, cast.other_beneficiary) == 0


def test_marking_read_lowers_the_unread_count_and_touches_only_your_own(make, session, clock):
    cast = Cast(make)
    cast.to("selection")
    before = unread_count(session, cast.beneficiary)
    assert before >= 2
    newest = inbox(session, cast.beneficiary)[0]
    others = inbox(session, cast.coordinator)
    # Someone else's notification id changes nothing for them.
    assert mark_read(session, cast.beneficiary, [others[0].id], now=clock.now()) == 0
    assert unread_count(session, cast.coordinator) == len(others)

    assert mark_read(session, cast.beneficiary, [newest.id], now=clock.now()) == 1
    assert unread_count(session, cast.beneficiary) == before - 1
    assert inbox(session, cast.beneficiary, unread_only=True)[0].id != newest.id
    assert mark_read(session, cast.beneficiary, now=clock.now()) == before - 1
    assert unread_count(session, cast.beneficiary) == 0


def test_bad_input_to_the_inbox_is_refused_naming_the_field(make, session, clock):
    user = make.user("coordinator")
    with pytest.raises(InvalidData) as error:
        mark_read(session, user, ["7"], now=clock.now())
    assert "ids" in error.value.errors
    with pytest.raises(InvalidData) as error:
        inbox(session, user, limit=0)
    assert "limit" in error.value.errors


def test_a_move_mails_those_concerned_once_but_not_the_mover_digest_readers_or_the_inactive(
    make, session, clock
):
    from sqlalchemy import select

    from twinflow.notifications.models import Notification, OutboxEmail

    cast = Cast(make)
    colleague = make.user("beneficiary", email="colleague@justice.example")
    digest_reader = make.user("coordinator", email="digest@delegation.example")
    digest_reader.digest_enabled = True
    retired = make.user("coordinator", email="retired@delegation.example")
    retired.is_active = False
    session.commit()

    make.fire(cast.beneficiary, cast.project, "submit_fiche")

    told = {n.user_id for n in session.scalars(select(Notification))}
    assert told == {cast.coordinator.id, digest_reader.id, colleague.id}
    # The move wrote the notifications; the scheduler's pass writes their e-mails, once.
    assert session.scalars(select(OutboxEmail)).all() == []
    assert queue_pending_mails(session, clock.now()) == 2
    assert queue_pending_mails(session, clock.now()) == 0
    mailed = sorted(session.scalars(select(OutboxEmail.to_address)))
    assert mailed == sorted([cast.coordinator.email, colleague.email])
    mail = session.scalars(
        select(OutboxEmail).where(OutboxEmail.to_address == colleague.email)
    ).one()
    assert "Fiche" in mail.subject and f"/projects/{cast.project.id}" in mail.body_text


def test_the_unread_count_follows_a_coordinator_moved_to_a_delegation_not_covering_the_project(
    make, session
):
    cast = Cast(make)
    cast.to("call_open")
    assert cast.project.beneficiary_country != "AM"
    told = unread_count(session, cast.coordinator)
    assert told >= 1  # the fiche that came in for review
    headquarters = cast.coordinator.organisation_id
    armenia = make.organisation("EU Delegation to Armenia", countries=["AM"])
    for organisation, expected in ((armenia.id, 0), (headquarters, told)):
        cast.coordinator.organisation_id = organisation
        session.commit()
        session.expire(cast.coordinator)  # its organisation read anew, as by the next request
        assert unread_count(session, cast.coordinator) == expected
        assert len(inbox(session, cast.coordinator, unread_only=True)) == expected
