"""The project page's timeline: the events of a project a reader may see, read newest first a
page at a time (a long trail is not loaded to show its last page), or those since a seq (the
changes since the reader's last look)."""

import functools

from sqlalchemy import bindparam, func, select

from twinflow.audit.display import load_data
from twinflow.audit.models import AuditEvent
from twinflow.audit.permissions import event_rule, mark_withheld_actors

TIMELINE_PAGE = 25
TIMELINE_MAX = 5000


def last_seq(session, project_id: int) -> int:
    return session.scalar(
        select(func.coalesce(func.max(AuditEvent.seq), 0)).where(
            AuditEvent.project_id == project_id
        )
    )


def timeline(session, user, project, after_seq: int = 0):
    """[(event, data)] of this project that this user may see, oldest first."""
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.project_id == project.id, AuditEvent.seq > after_seq)
        .order_by(AuditEvent.seq)
    )
    out = []
    visible = event_rule(user, project)
    for event in events:
        data = load_data(event)
        if visible(event, data):
            out.append((event, data))
    mark_withheld_actors(session, user, out)
    return out


EVENT_COLUMNS = (
    AuditEvent.id,
    AuditEvent.seq,
    AuditEvent.occurred_at,
    AuditEvent.actor_id,
    AuditEvent.actor_email,
    AuditEvent.action,
    AuditEvent.project_id,
    AuditEvent.trigger,
    AuditEvent.from_state,
    AuditEvent.to_state,
    AuditEvent.data,
)


@functools.lru_cache(maxsize=8)
def _newest_events(limit: int) -> tuple:
    """The timeline's statements, built once per page size: the newest `limit` events, and
    the newest `limit` before a seq. Plain rows of the columns shown (not the ORM's objects):
    read-only, and each attribute the page and the visibility rule read has its column's name."""
    query = select(*EVENT_COLUMNS).where(AuditEvent.project_id == bindparam("pid"))
    newest = AuditEvent.seq.desc()
    return (
        query.order_by(newest).limit(limit),
        query.where(AuditEvent.seq < bindparam("before")).order_by(newest).limit(limit),
    )


def timeline_newest(session, user, project, count: int = TIMELINE_PAGE):
    """([(event, data)] newest first, at most `count` this user may see; more older ones?;
    the project's last seq, seen or not, as last_seq gives it). Read newest first in chunks so
    a long trail is not loaded to show its last page."""
    out, before, newest = [], None, 0
    first, older = _newest_events(count + 1)
    visible = event_rule(user, project)  # decided once per kind of event, not per event
    while len(out) <= count:
        query, values = (
            (first, {"pid": project.id})
            if before is None
            else (older, {"pid": project.id, "before": before})
        )
        chunk = list(session.execute(query, values))
        if chunk and before is None:
            newest = chunk[0].seq
        for event in chunk:
            data = load_data(event)
            if visible(event, data):
                out.append((event, data))
        if len(chunk) <= count:
            break
        before = chunk[-1].seq
    shown = out[:count]
    mark_withheld_actors(session, user, shown)
    return shown, len(out) > count, newest
