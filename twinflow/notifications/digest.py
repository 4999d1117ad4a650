"""The daily digest: users who chose it get their notifications in one e-mail a day instead of
one each (they still see every notification in the app at once)."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from twinflow.audit.anchors import daily_checkpoint
from twinflow.auth.models import User
from twinflow.i18n import current_language, gettext, ngettext, speaking
from twinflow.notifications.content import digest_bodies, language_of
from twinflow.notifications.mail_queue import queued_mail
from twinflow.notifications.models import Digest, Notification, OutboxEmail
from twinflow.notifications.operations import insert_ignoring_duplicates
from twinflow.notifications.permissions import readable_notifications_clause


def digest_cutoff(now: datetime, timezone: ZoneInfo, hour: int) -> datetime:
    """The latest moment, at or before `now`, when the local clock read `hour`:00."""
    local = now.astimezone(timezone)
    day = local.date()
    cutoff = datetime.combine(day, time(hour), timezone)
    if cutoff > local:
        cutoff = datetime.combine(day - timedelta(days=1), time(hour), timezone)
    return cutoff.astimezone(UTC)


def make_digests(
    session: Session,
    now: datetime,
    *,
    timezone: ZoneInfo,
    hour: int,
    anchor_file: str | None = None,
) -> int:
    """Queue today's digest for every digest user who has none yet; returns e-mails queued.
    The unique (user, period_end) makes a repeated or concurrent pass skip a digest made.

    An administrator's digest goes out every day, notifications or not: it carries a fresh
    anchor of the audit chain (also appended to `anchor_file`), or says the chain is broken.
    Each digest is written in its reader's language."""
    cutoff = digest_cutoff(now, timezone, hour)
    users = session.scalars(
        select(User)
        .where(
            User.digest_enabled.is_(True),
            User.is_active.is_(True),
            ~exists().where(Digest.user_id == User.id, Digest.period_end == cutoff),
        )
        .order_by(User.id)
    ).all()
    checkpoint = None
    if any(user.role == "admin" for user in users):  # one anchor for all of today's
        checkpoint = daily_checkpoint(session, now, anchor_file)
    queued = 0
    for user in users:
        extra = checkpoint if user.role == "admin" else None
        try:
            with speaking(language_of(user)):
                queued += _digest_for(session, user, cutoff, now, timezone, extra)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return queued


def _digest_for(
    session: Session, user: User, cutoff: datetime, now: datetime, tz, extra=None
) -> int:
    last = session.scalar(select(func.max(Digest.period_end)).where(Digest.user_id == user.id))
    start = last or cutoff - timedelta(days=1)
    items = session.scalars(
        select(Notification)
        .where(
            readable_notifications_clause(user),
            Notification.created_at >= start,
            Notification.created_at < cutoff,
        )
        .order_by(Notification.id)
    ).all()
    made = insert_ignoring_duplicates(
        session,
        Digest,
        [
            dict(
                user_id=user.id,
                period_start=start,
                period_end=cutoff,
                notification_count=len(items),
                created_at=now,
            )
        ],
        returning=(Digest.id,),
    ).all()
    if not made or not (items or extra):
        return 0
    period = gettext("until %(moment)s", moment=_moment(cutoff.astimezone(tz)))
    text, html = digest_bodies(
        [(n.subject, n.body, n.link) for n in items], period, extra() if extra else None
    )
    subject = ngettext(
        "twinflow daily digest: %(num)d notification(s)",
        "twinflow daily digest: %(num)d notification(s)",
        len(items),
    )
    outbox_id = session.scalar(
        OutboxEmail.__table__.insert()
        .values(queued_mail(user.email, subject, text, html, now))
        .returning(OutboxEmail.id)
    )
    session.execute(update(Digest).where(Digest.id == made[0].id).values(outbox_email_id=outbox_id))
    return 1


def _moment(local: datetime) -> str:
    """ "Tuesday 01 December 2026, 07:00" in English (as it always read), the reader's
    language's words for the day and month otherwise."""
    language = current_language()
    if language == "en":
        return f"{local:%A %d %B %Y, %H:%M}"
    return format_datetime(local, "EEEE d MMMM y, HH:mm", locale=language)
