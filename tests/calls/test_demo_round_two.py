"""The demo has a call in its second round, with round 1's failed selection in its history."""

from sqlalchemy import select

from twinflow.audit.models import AuditEvent
from twinflow.calls.demo import NCP, TITLE
from twinflow.demo_data import seed_demo
from twinflow.extensions import db
from twinflow.projects.models import Project
from twinflow.proposals.models import Proposal


def test_the_demo_has_a_call_in_round_two_after_a_failed_selection(app):
    with app.app_context():
        accounts = seed_demo(db.session, app.extensions["twinflow.engine"], "pbkdf2:sha256:1000")
        db.session.commit()
        project = db.session.scalar(select(Project).where(Project.title == TITLE))
        assert (project.state, project.call_round) == ("call_open", 2)
        triggers = list(
            db.session.scalars(
                select(AuditEvent.trigger)
                .where(AuditEvent.project_id == project.id, AuditEvent.action == "transition")
                .order_by(AuditEvent.seq)
            )
        )
        assert triggers[-2:] == ["close_call", "recirculate"]
        rounds = {
            (p.member_state, p.call_round)
            for p in db.session.scalars(select(Proposal).where(Proposal.project_id == project.id))
        }
        assert rounds == {("FR", 1), ("DE", 1), ("DE", 2)}
        assert NCP[0] in {email for email, _ in accounts}
