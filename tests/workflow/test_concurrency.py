"""Many users firing the same trigger at once: exactly one wins, the rest get a conflict."""

import threading

import pytest
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


@pytest.mark.parametrize("use_version", [True, False], ids=["if-match", "no-version"])
def test_twenty_threads_firing_one_trigger_change_the_state_exactly_once(
    make, session, sa_engine, engine, use_version
):
    cast = Cast(make)
    cast.to("fiche_review")
    events_before = session.scalar(select(func.count(AuditEvent.id)))

    outcomes = _race(
        sa_engine, engine, cast.coordinator.id, cast.project.id, "approve_fiche", use_version
    )

    assert outcomes.count("applied") == 1, outcomes
    conflicts = [o for o in outcomes if o != "applied"]
    assert len(conflicts) == THREADS - 1
    assert set(conflicts) <= {"StaleVersion", "InvalidInState"}, conflicts
    session.expire_all()
    assert session.get(Project, cast.project.id).state == "call_open"
    transitions = session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.trigger == "approve_fiche")
    )
    assert transitions == 1
    assert session.scalar(select(func.count(AuditEvent.id))) == events_before + 1
    assert verify_chain(session).ok
