"""The demo tells a consistent story: its history comes in time order, and every deadline
stands where its project's stage says it should relative to today."""

from datetime import timedelta

from sqlalchemy import select

from twinflow.audit.models import AuditEvent
from twinflow.deadlines.models import Deadline
from twinflow.demo_data import seed_demo
from twinflow.demo_guide import account_guide
from twinflow.projects.models import Project


def _seeded(session, engine, app):
    with app.app_context():  # the demo's documents (selection minutes) go to the app's storage
        seed_demo(session, engine, "pbkdf2:sha256:1000")
    session.commit()


def test_the_demo_history_is_recorded_in_time_order_and_ends_before_today(
    app, session, engine, clock
):
    _seeded(session, engine, app)
    times = list(session.scalars(select(AuditEvent.occurred_at).order_by(AuditEvent.seq)))
    assert len(times) > 100
    assert times == sorted(times)
    assert max(times) <= clock.now()


def test_no_demo_deadline_is_months_overdue_and_the_open_call_was_circulated_recently(
    app, session, engine, clock
):
    _seeded(session, engine, app)
    now = clock.now()
    open_deadlines = session.scalars(select(Deadline).where(Deadline.status == "open")).all()
    overdue = {d.key: (now - d.due_at).days for d in open_deadlines if d.due_at < now}
    assert all(days <= 45 for days in overdue.values()), overdue
    calls = session.scalars(select(Project).where(Project.state == "call_open")).all()
    assert calls
    for call in calls:  # the open call, and the call in its second round
        circulated = session.scalar(
            select(AuditEvent.occurred_at)
            .where(
                AuditEvent.project_id == call.id,
                AuditEvent.trigger.in_(("approve_fiche", "recirculate")),
            )
            .order_by(AuditEvent.seq.desc())
            .limit(1)
        )
        assert timedelta(days=14) < now - circulated < timedelta(days=8 * 7), call.title
        assert now < call.proposal_deadline < now + timedelta(days=8 * 7), call.title


def test_the_account_guide_says_what_to_try_with_every_demo_account(app, session, engine):
    _seeded(session, engine, app)
    guide = {email: (who, what) for email, who, what in account_guide(session)}
    assert len(guide) == 12  # the eleven seeded accounts and France's Contact Point
    assert "sees every country" in guide["delegation@twinflow.demo"][0]
    assert "sees GE" in guide["delegation.ge@twinflow.demo"][0]
    assert "sees AM, MD" in guide["delegation.am@twinflow.demo"][0]
    assert "indirect management" in guide["cfcu@twinflow.demo"][1]
    assert "E-mail outbox" in guide["admin@twinflow.demo"][1]
    titles = set(session.scalars(select(Project.title)))
    for email, (_, what) in guide.items():
        named = [t for t in titles if f"“{t}”" in what]
        assert named or email in ("admin@twinflow.demo", "lithuania@twinflow.demo"), email
