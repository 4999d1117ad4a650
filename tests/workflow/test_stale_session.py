"""A session that holds an old copy of a project still fires cleanly after another process
changed it (a long-lived scheduler session, or a request that read the project first)."""

from sqlalchemy.orm import Session

from tests.factories import Cast
from twinflow.projects.models import Project


def test_a_session_holding_an_outdated_project_reads_it_fresh_before_acting(
    make, session, sa_engine, engine
):
    cast = Cast(make)
    cast.to("implementation")
    held = session.get(Project, cast.project.id)
    # Another process suspends the project; this session still holds the old copy.
    with Session(sa_engine) as other:
        engine.fire(
            other, other.merge(cast.coordinator), cast.project.id, "suspend", comment="Elections"
        )
    assert held.state == "implementation"  # stale, as expected
    engine.fire(session, cast.coordinator, cast.project.id, "resume", comment="Back")
    assert held.state == "implementation" and held is cast.project
