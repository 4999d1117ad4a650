from tests.factories import Cast
from twinflow.audit.operations import verify_chain


def test_a_project_walks_from_drafting_to_closed_with_an_intact_audit_chain(make, session):
    cast = Cast(make)
    project = cast.to("closed")
    assert project.state == "closed"
    assert verify_chain(session).ok
