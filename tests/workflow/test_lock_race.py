"""A move's checks and its write are one act: another session's write to what a guard read
waits for the move to commit (PostgreSQL: the project's row lock; SQLite: the database write
lock the engine takes at BEGIN, see workflow/locking.py). Without it a version check alone
would let the write slip in between, since a proposal's submission does not move the
project's version."""

import threading
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import Cast
from twinflow.auth.models import User
from twinflow.clock import FrozenClock
from twinflow.projects.models import Project
from twinflow.proposals.models import Proposal
from twinflow.proposals.operations import submit_proposal
from twinflow.workflow.engine import Engine


def test_a_proposal_sent_while_a_call_is_found_empty_lands_in_the_new_round(
    make, sa_engine, engine, registry, clock
):
    cast = Cast(make)
    cast.to("call_open")
    project_id, deadline = cast.project.id, cast.project.proposal_deadline
    # The coordinator re-circulates a minute after the deadline: no proposal came...
    clock.set(deadline + timedelta(minutes=1))
    # ...while France's proposal, sent a second before it, is still on its way in.
    late = Engine(registry, FrozenClock(deadline - timedelta(seconds=1)))
    values = dict(
        lead_member_state="FR",
        junior_member_states=[],
        project_leader="Jeanne Martin",
        rta_name="Paul Durand",
        summary="Peer support from our administration.",
    )
    outcome, waited = {}, {}

    def send():
        with Session(sa_engine, expire_on_commit=False) as other:
            try:
                france = other.get(User, cast.france.id)
                outcome["round"] = submit_proposal(
                    other, late, france, project_id, values
                ).call_round
            except Exception as exc:  # shown by the assertion below
                outcome["error"] = repr(exc)

    sender = threading.Thread(target=send)

    def between_checks_and_write(step):
        # The guard "no proposal came" has passed; the re-circulation is not written yet.
        if step == "after_state_change" and not sender.is_alive() and not waited:
            sender.start()
            sender.join(timeout=1.5)
            waited["blocked"] = sender.is_alive()

    engine.step_hook = between_checks_and_write
    with Session(sa_engine, expire_on_commit=False) as session:
        coordinator = session.get(User, cast.coordinator.id)
        engine.fire(session, coordinator, project_id, "recirculate")
    engine.step_hook = None
    sender.join(timeout=60)

    assert waited == {"blocked": True}  # the proposal waited for the re-circulation
    assert outcome == {"round": 2}, outcome
    with Session(sa_engine) as check:
        assert check.get(Project, project_id).call_round == 2
        # The round declared empty stays empty: the proposal is in the new round.
        rounds = check.scalars(select(Proposal.call_round).where(Proposal.project_id == project_id))
        assert list(rounds) == [2]
