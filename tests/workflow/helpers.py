"""Snapshots of everything a transition may touch, to prove a refusal changed nothing."""

from sqlalchemy import func, select

from twinflow.approvals.models import Signoff, SignoffDecision
from twinflow.audit.models import AuditEvent
from twinflow.deadlines.models import Deadline
from twinflow.notifications.models import Notification, OutboxEmail
from twinflow.projects.models import Project


def snapshot(session, project_id: int) -> dict:
    session.expire_all()
    project = session.get(Project, project_id)

    def count(model):
        return session.scalar(select(func.count()).select_from(model))

    return {
        "state": project.state,
        "version": project.version,
        "audit": count(AuditEvent),
        "requests": sorted((r.id, r.status) for r in session.scalars(select(Signoff))),
        "decisions": count(SignoffDecision),
        "deadlines": sorted((d.key, d.status) for d in session.scalars(select(Deadline))),
        "notifications": count(Notification),
        "emails": count(OutboxEmail),
    }
