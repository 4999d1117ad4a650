"""E-mail of notifications: the scheduler's pass writes the outbox rows of notifications
marked `mail_pending` (claimed with SKIP LOCKED on PostgreSQL), in the recipient's language."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from twinflow.auth.models import User
from twinflow.i18n import speaking
from twinflow.notifications.content import email_bodies, language_of
from twinflow.notifications.models import Notification, OutboxEmail
from twinflow.notifications.operations import insert_ignoring_duplicates, subject_line


def queue_pending_mails(session: Session, now: datetime, batch: int = 500) -> int:
    """Write the outbox rows of the notifications still marked `mail_pending`, batch by batch,
    each batch in one transaction with the marks cleared: a crash leaves them marked and the
    next pass writes them; an outbox row exists once per notification (unique), so nobody
    gets a mail twice. Concurrent passes on PostgreSQL skip each other's rows."""
    queued = 0
    while True:
        try:
            claimed = session.execute(_claim_pending(session, batch)).all()
            if claimed:
                mails = _outbox_rows(session, claimed, now)
                queued += len(
                    insert_ignoring_duplicates(
                        session, OutboxEmail, mails, returning=(OutboxEmail.id,)
                    ).all()
                )
            session.commit()
        except BaseException:
            session.rollback()
            raise
        if len(claimed) < batch:
            return queued


def _outbox_rows(session: Session, claimed, now: datetime) -> list[dict]:
    """The e-mail of each claimed notification, to its user's address, around its text in the
    user's language. The people told of one cause share its text, so each text is rendered
    once per language."""
    users = {row.user_id for row in claimed}
    readers = {
        user.id: user
        for user in session.execute(
            select(User.id, User.email, User.language).where(User.id.in_(users))
        )
    }
    bodies: dict[tuple, tuple[str, str]] = {}
    mails = []
    for row in claimed:
        reader = readers[row.user_id]
        content = (row.subject, row.body, row.link)
        language = language_of(reader)
        if (content, language) not in bodies:
            with speaking(language):
                bodies[content, language] = email_bodies(*content)
        text, html = bodies[content, language]
        mail = queued_mail(reader.email, row.subject, text, html, now)
        mails.append(mail | {"notification_id": row.id})
    return mails


def queued_mail(to_address: str, subject: str, text: str, html: str, now: datetime) -> dict:
    """An outbox row as it starts: queued, never tried, due now. The subject is one line that
    fits its column (subject_line), whatever the title or name it was built from holds."""
    return dict(
        to_address=to_address,
        subject=subject_line(subject),
        body_text=text,
        body_html=html,
        status="queued",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )


def _claim_pending(session: Session, batch: int):
    """Clear the marks of up to `batch` pending notifications and return them, in one
    statement (on SQLite it also takes the write lock before anything is read)."""
    pending = (
        select(Notification.id)
        .where(Notification.mail_pending.is_(True))
        .order_by(Notification.id)
        .limit(batch)
    )
    if session.get_bind().dialect.name == "postgresql":
        pending = pending.with_for_update(skip_locked=True)
    table = Notification.__table__
    return (
        update(table)
        .where(table.c.id.in_(pending.scalar_subquery()))
        .values(mail_pending=False)
        .returning(table.c.id, table.c.user_id, table.c.subject, table.c.body, table.c.link)
    )
