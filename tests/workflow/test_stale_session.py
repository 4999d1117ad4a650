"""A session that holds an old copy of a project still fires cleanly after another process
changed it (a long-lived scheduler session, or a request that read the project first)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import Cast
from twinflow.audit.models import AuditEvent
from twinflow.projects.models import Project


def test_a_session_holding_an_outdated_project_reads_it_fresh_before_acting(
    make, session, sa_engine, engine
):
    cast = Cast(make)
    cast.to("implementation")
    held = session.get(Project, cast.project.id)
    version_held = held.version
    # Another process suspends the project; this session still holds the old copy.
    with Session(sa_engine) as other:
        engine.fire(
            other, other.merge(cast.coordinator), cast.project.id, "suspend", comment="Elections"
        )
    assert held.state == "implementation"  # stale, as expected
    # Cancelling is possible from both states: only a fresh read records where it came from.
    engine.fire(session, cast.coordinator, cast.project.id, "cancel", comment="Stopped")
    last = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "transition").order_by(AuditEvent.id.desc())
    ).first()
    assert (last.trigger, last.from_state, last.to_state) == ("cancel", "suspended", "cancelled")
    # The copy the caller holds was refreshed in place: it shows both changes.
    assert (held.state, held.version) == ("cancelled", version_held + 2)
