"""One sweep over the due alerts: reminders before a deadline, escalations after it.

The query reads the (status, next_alert_at) index, so its cost follows the number of alerts
due, not the number of deadlines or projects. Each batch is one transaction: claim the rows,
write the notifications (unique key per deadline and alert, so a repeated sweep tells nobody
twice), move next_alert_at on, commit. A sweep killed midway loses its open batch only, and
the next sweep redoes it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_datetime
from sqlalchemy import bindparam, select, text, update
from sqlalchemy.orm import Session

from twinflow.deadlines.models import Deadline
from twinflow.deadlines.schedule import current_alert, next_alert_after
from twinflow.deadlines.wording import local_moment, relative_due, zone
from twinflow.i18n import current_language, gettext, speaking
from twinflow.notifications.content import language_of
from twinflow.notifications.operations import Notice, notify_many, users_for_parties
from twinflow.orm import UTCDateTime
from twinflow.projects.models import Project

# PostgreSQL: rows another sweep holds are skipped, not waited for. Projects are locked FOR
# KEY SHARE (what the notifications' foreign key needs anyway) and skipped while a transition
# holds them: that transition is about to close or replace these very deadlines, and taking
# the locks in the other order would deadlock with it.
_CLAIM_PG = text(
    """
    SELECT d.id FROM deadlines AS d JOIN projects AS p ON p.id = d.project_id
    WHERE d.status = 'open' AND d.next_alert_at <= :now
    ORDER BY d.next_alert_at, d.id
    LIMIT :limit
    FOR UPDATE OF d SKIP LOCKED
    FOR KEY SHARE OF p SKIP LOCKED
    """
).bindparams(bindparam("now", type_=UTCDateTime()))


@dataclass
class AlertResult:
    deadlines: int = 0
    notifications: int = 0


def send_due_alerts(
    session: Session,
    clock,
    *,
    base_url: str,
    batch_size: int = 100,
    step_hook: Callable[[str], None] | None = None,
) -> AlertResult:
    result = AlertResult()
    hook = step_hook or (lambda _name: None)
    while True:
        now = clock.now()
        try:
            ids = _claim(session, now, batch_size)
            if not ids:
                session.rollback()
                return result
            deadlines = session.scalars(
                select(Deadline)
                .where(Deadline.id.in_(ids))
                .order_by(Deadline.next_alert_at, Deadline.id)
                .execution_options(populate_existing=True)
            ).all()
            audience = _Audience(session, {d.project_id for d in deadlines})
            notices = []
            with session.no_autoflush:  # the updates go in one flush, not one per deadline
                for deadline in deadlines:
                    notices.extend(_alert(deadline, now, base_url, audience))
                    result.deadlines += 1
                    hook("after_alert")
            result.notifications += notify_many(session, notices, now=now)
            session.commit()
        except BaseException:
            session.rollback()
            raise
        hook("after_commit")


def _claim(session: Session, now: datetime, limit: int) -> list[int]:
    if session.get_bind().dialect.name == "postgresql":
        return list(session.scalars(_CLAIM_PG, {"now": now, "limit": limit}))
    # SQLite: a no-op UPDATE of the due rows takes the database write lock first, so two
    # sweeps queue instead of both reading the same rows and failing to upgrade their lock.
    due = (
        select(Deadline.id)
        .where(Deadline.status == "open", Deadline.next_alert_at <= now)
        .order_by(Deadline.next_alert_at, Deadline.id)
        .limit(limit)
    )
    return list(
        session.scalars(
            update(Deadline)
            .where(Deadline.id.in_(due.scalar_subquery()))
            .values(next_alert_at=Deadline.next_alert_at)
            .returning(Deadline.id)
            .execution_options(synchronize_session=False)
        )
    )


class _Audience:
    """The batch's projects and who is told on each, read in a few queries for the batch: the
    same beneficiary administration and lead Member State give the same users."""

    def __init__(self, session: Session, project_ids: set[int]):
        self.session = session
        self.projects = {
            p.id: p for p in session.scalars(select(Project).where(Project.id.in_(project_ids)))
        }
        self._users: dict[tuple, list] = {}

    def users(self, project: Project, parties) -> list:
        # The lead partner from the project row: set when select_partner applied, so a bid
        # that is only marked gets no reminder of the partner's deadlines.
        lead = project.lead_member_state
        key = (
            project.beneficiary_country,
            (project.beneficiary_institution or "").lower(),
            lead,
            tuple(sorted(parties)),
        )
        if key not in self._users:
            self._users[key] = users_for_parties(self.session, project, parties, lead)
        return self._users[key]


def _alert(deadline: Deadline, now: datetime, base_url: str, audience: _Audience) -> list[Notice]:
    """The alert due now (if any, one notice per time zone and language of its readers), and
    the next one scheduled."""
    notices = []
    alert = current_alert(deadline, now)
    if alert is not None:
        _moment, label = alert
        project = audience.projects[deadline.project_id]
        link = f"{base_url.rstrip('/')}/projects/{project.id}"
        key = f"deadline:{deadline.id}:{label}"
        if label.startswith("escalation:"):
            users = audience.users(project, ["coordinator"])
            for (_zone, language), readers in _by_language(users, zoned=False).items():
                with speaking(language):
                    subject, body = _overdue_text(deadline, project, now)
                notices.append(
                    Notice(readers, "deadline_overdue", key, subject, body, project.id, link)
                )
        else:
            users = audience.users(project, deadline.notify_parties)
            # "tomorrow" depends on whose tomorrow: the same reminder, worded per zone (and
            # in each reader's language).
            for (name, language), readers in _by_language(users).items():
                with speaking(language):
                    subject, body = _reminder_text(deadline, project, now, zone(name))
                notices.append(
                    Notice(readers, "deadline_reminder", key, subject, body, project.id, link)
                )
        if deadline.last_alert != label:
            deadline.alerts_sent += 1
            deadline.last_alert, deadline.last_alert_at = label, now
    following = next_alert_after(deadline, now)
    # A schedule that did not move forward would make this sweep loop on the same row.
    if following is not None and following <= now:
        raise RuntimeError(f"deadline {deadline.id}: next alert {following} is not after {now}")
    deadline.next_alert_at = following
    return notices


def _by_language(users, zoned: bool = True) -> dict[tuple[str, str], list]:
    """The readers grouped by (time zone, language), or by language alone: one wording each."""
    groups: dict[tuple[str, str], list] = {}
    for user in users:
        name = (getattr(user, "time_zone", None) or "") if zoned else ""
        groups.setdefault((name, language_of(user)), []).append(user)
    return groups


def _when(deadline: Deadline) -> str:
    when = format_datetime(deadline.due_at, "EEEE dd MMMM y, HH:mm", locale=current_language())
    return f"{when} UTC"


def _reminder_text(deadline: Deadline, project: Project, now: datetime, tz) -> tuple[str, str]:
    relative = relative_due(deadline.due_at, now, tz)
    subject = gettext(
        "[%(reference)s] Reminder: %(deadline)s (%(when)s)",
        reference=project.reference,
        deadline=deadline.title,
        when=relative,
    )
    body = gettext(
        '%(deadline)s for the project "%(title)s" (%(reference)s) is due on %(moment)s, %(when)s.',
        deadline=deadline.title,
        title=project.title,
        reference=project.reference,
        moment=local_moment(deadline.due_at, tz),
        when=relative,
    )
    return subject, body


def _overdue_text(deadline: Deadline, project: Project, now: datetime) -> tuple[str, str]:
    days = (now - deadline.due_at).days
    subject = gettext(
        "[%(reference)s] Overdue: %(deadline)s (%(days)s days late)",
        reference=project.reference,
        deadline=deadline.title,
        days=days,
    )
    body = gettext(
        '%(deadline)s for the project "%(title)s" (%(reference)s) was due on %(moment)s and '
        "is still not met, %(days)s days later. You are told as a coordinator; this notice "
        "repeats every %(every)s days until it is met.",
        deadline=deadline.title,
        title=project.title,
        reference=project.reference,
        moment=_when(deadline),
        days=days,
        every=deadline.escalate_every_days,
    )
    return subject, body
