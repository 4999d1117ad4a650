"""A coordinator waives a deadline or moves it, always with a reason; both are audited with
the deadline as it was and as it became.

Waived: the status says so, nothing reminds or escalates (the scheduler only reads open
deadlines), and the project's dates changing later do not bring it back. Moved: the old row
is superseded and a new one is due on the new date (so its reminders are new alerts, not
repeats of those already sent), dated by hand: the project's dates no longer move it.
Both join the caller's transaction (they flush, never commit).
"""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.permissions import can_decide_deadline, deadline_visible
from twinflow.deadlines.schedule import first_alert
from twinflow.i18n import gettext, lazy_gettext
from twinflow.projects.models import Project
from twinflow.text import control_problem
from twinflow.workflow.data import YEARS
from twinflow.workflow.errors import Conflict, InvalidData, NotFound, NotPermitted

REASON_MAX = 2000

# A deadline's status in a sentence, in the page's language (the code stays in the data).
STATUS_WORDS = {
    "open": lazy_gettext("open"),
    "met": lazy_gettext("met"),
    "superseded": lazy_gettext("superseded"),
    "cancelled": lazy_gettext("cancelled"),
    "waived": lazy_gettext("waived"),
    "historical": lazy_gettext("historical"),
}


def _reason(reason) -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise InvalidData({"reason": [gettext("a reason is required")]})
    problem = control_problem(text, multiline=True)
    if problem:
        raise InvalidData({"reason": [problem]})
    if len(text) > REASON_MAX:
        raise InvalidData(
            {"reason": [gettext("must be at most %(count)s characters", count=REASON_MAX)]}
        )
    return text


def _load(session: Session, actor, project_id: int, deadline_id: int) -> tuple[Project, Deadline]:
    """The deadline, locked, if the actor may see it (404 otherwise, as for a missing one)
    and decide on it (403 naming who may)."""
    project = session.get(Project, project_id)
    query_options = {"with_for_update": True} if _locks(session) else {}
    deadline = session.get(Deadline, deadline_id, **query_options)
    if (
        project is None
        or deadline is None
        or deadline.project_id != project.id
        or not deadline_visible(actor, project, deadline)
    ):
        raise NotFound(f"No deadline {deadline_id} on project {project_id}.")
    if not can_decide_deadline(actor, project, deadline):
        raise NotPermitted(gettext("Only a coordinator may waive or move a deadline."))
    if deadline.status != "open":
        raise Conflict(
            gettext(
                "%(deadline)s is %(status)s; only an open deadline can be waived or moved.",
                deadline=deadline.title,
                status=STATUS_WORDS.get(deadline.status, deadline.status),
            ),
            {"status": deadline.status},
        )
    return project, deadline


def _locks(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _state(deadline: Deadline) -> dict:
    return {
        "deadline_id": deadline.id,
        "status": deadline.status,
        "due_at": deadline.due_at.isoformat(),
    }


def waive_deadline(
    session: Session, actor, project_id: int, deadline_id: int, reason, *, now: datetime
) -> Deadline:
    text = _reason(reason)
    project, deadline = _load(session, actor, project_id, deadline_id)
    before = _state(deadline)
    deadline.status, deadline.closed_at, deadline.next_alert_at = "waived", now, None
    deadline.decided_by_id, deadline.decision_reason = actor.id, text
    session.flush()
    append_event(
        session,
        action="deadline_waived",
        now=now,
        actor=actor,
        project_id=project.id,
        data={
            "key": deadline.key,
            "title": deadline.title,
            "reason": text,
            "before": before,
            "after": _state(deadline),
        },
    )
    return deadline


def parse_due(value) -> datetime:
    """An ISO 8601 date-time with its zone (or a datetime from a form), as UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidData(
                {"due_at": [gettext("is not an ISO 8601 date-time, e.g. 2027-03-01T12:00:00Z")]}
            ) from None
    else:
        raise InvalidData({"due_at": [gettext("is required, e.g. 2027-03-01T12:00:00Z")]})
    if moment.tzinfo is None:
        raise InvalidData({"due_at": [gettext("needs a time zone (UTC: end it with Z)")]})
    if not YEARS[0] <= moment.year <= YEARS[1]:
        years = gettext(
            "must be between the years %(first)s and %(last)s", first=YEARS[0], last=YEARS[1]
        )
        raise InvalidData({"due_at": [years]})
    return moment.astimezone(UTC)


def move_deadline(
    session: Session, actor, project_id: int, deadline_id: int, due_at, reason, *, now: datetime
) -> Deadline:
    """The new deadline (the old one is superseded)."""
    errors = {}
    try:
        text = _reason(reason)
    except InvalidData as exc:
        errors.update(exc.errors)
    try:
        moment = parse_due(due_at)
        if moment <= now:
            errors["due_at"] = [
                gettext(
                    "must be in the future (it is now %(now)s UTC)",
                    now=now.strftime("%Y-%m-%d %H:%M"),
                )
            ]
    except InvalidData as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidData(errors)
    project, old = _load(session, actor, project_id, deadline_id)
    if moment == old.due_at:
        raise InvalidData({"due_at": [gettext("is the date the deadline already has")]})
    before = _state(old)
    old.status, old.closed_at, old.next_alert_at = "superseded", now, None
    new = Deadline(
        project_id=old.project_id,
        key=old.key,
        title=old.title,
        set_in_state=old.set_in_state,
        met_on=old.met_on,
        due_at=moment,
        status="open",
        reminder_offsets_days=list(old.reminder_offsets_days or ()),
        notify_parties=list(old.notify_parties or ()),
        escalate_every_days=old.escalate_every_days,
        alerts_sent=0,
        created_at=now,
        decided_by_id=actor.id,
        decision_reason=text,
    )
    # A deadline whose state is on a detour (a suspension) stays silent until it comes back.
    silent = old.next_alert_at is None and project.state != old.set_in_state
    new.next_alert_at = None if silent else first_alert(new, now)
    session.add(new)
    session.flush()
    append_event(
        session,
        action="deadline_moved",
        now=now,
        actor=actor,
        project_id=project.id,
        data={
            "key": new.key,
            "title": new.title,
            "reason": text,
            "before": before,
            "after": _state(new),
        },
    )
    return new
