"""Many users firing the same trigger at once: exactly one wins, the rest get the conflict that
says why (the state moved on, or the version they held is stale)."""

import threading
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import Cast
from twinflow.audit.models import AuditEvent
from twinflow.audit.operations import verify_chain
from twinflow.projects.models import Project
from twinflow.workflow.errors import Conflict

THREADS = 20


def _race(sa_engine, engine, actor_id, project_id, trigger, use_version):
    from twinflow.auth.models import User

    barrier = threading.Barrier(THREADS)
    outcomes = []
    lock = threading.Lock()

    def worker():
        with Session(sa_engine, expire_on_commit=False) as session:
            actor = session.get(User, actor_id)
            version = session.get(Project, project_id).version if use_version else None
            session.rollback()  # like a web request: read, then act in a new transaction
            barrier.wait()
            try:
                engine.fire(session, actor, project_id, trigger, expected_version=version)
                outcome = "applied"
            except Conflict as exc:
                outcome = type(exc).__name__
            except Exception as exc:  # anything else is a defect the assertion will show
                outcome = repr(exc)
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def _count(session, *where) -> int:
    return session.scalar(select(func.count(AuditEvent.id)).where(*where))


def test_twenty_threads_firing_one_trigger_change_the_state_exactly_once(
    make, session, sa_engine, engine
):
    cast = Cast(make)
    cast.to("fiche_review")
    events_before = _count(session)

    outcomes = _race(
        sa_engine, engine, cast.coordinator.id, cast.project.id, "approve_fiche", False
    )

    assert outcomes.count("applied") == 1, outcomes
    # The losers find the call already open: the trigger is no longer valid there.
    assert outcomes.count("InvalidInState") == THREADS - 1, outcomes
    session.expire_all()
    assert session.get(Project, cast.project.id).state == "call_open"
    assert _count(session, AuditEvent.trigger == "approve_fiche") == 1
    assert _count(session) == events_before + 1
    assert verify_chain(session).ok


def test_twenty_threads_holding_one_version_apply_a_repeatable_trigger_once(
    make, session, sa_engine, engine, clock
):
    """Re-circulating stays valid after it applied, so only the If-Match version stops the
    nineteen others: without that check all twenty would re-circulate."""
    cast = Cast(make)
    cast.to("call_open")
    clock.set(cast.project.proposal_deadline + timedelta(days=1))  # no proposal came

    outcomes = _race(sa_engine, engine, cast.coordinator.id, cast.project.id, "recirculate", True)

    assert outcomes.count("applied") == 1, outcomes
    assert outcomes.count("StaleVersion") == THREADS - 1, outcomes
    session.expire_all()
    assert session.get(Project, cast.project.id).recirculation_count == 1
    assert _count(session, AuditEvent.trigger == "recirculate") == 1
    assert verify_chain(session).ok
