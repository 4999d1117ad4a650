"""Sending the e-mail outbox after commit: claimed in small batches, retried with exponential
backoff, never dropped.

Delivery is at-least-once. A claimed row is marked 'sending' with a lease (next_attempt_at =
now + lease) and committed before any SMTP traffic; each accepted message is marked 'sent' in
its own commit. A crash between the SMTP server accepting a message and that commit leaves
the row 'sending'; when the lease runs out another pass sends it again. The copy carries the
same Message-ID (derived from the outbox id), so a mail client or a filter can drop it. The
other choice, at-most-once, would lose such a message silently, which costs a deadline.

A message that can never be sent (an address no server could take, a value the e-mail package
refuses) is marked 'failed' with its reason and the batch goes on: one bad row never holds
back the others.
"""

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import errors as email_errors
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from twinflow.notifications.models import OutboxEmail
from twinflow.notifications.smtp import SmtpSettings, connect
from twinflow.text import control_problem, one_line, shown

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=1)
DEFAULT_LEASE = timedelta(minutes=15)
_warned_unconfigured = False


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    not_configured: bool = False


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, at most an hour apart; never given up."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def message_id(outbox_id: int, settings: SmtpSettings) -> str:
    return f"<twinflow-outbox-{outbox_id}@{settings.domain}>"


# Headers fold only past 998 characters: Python folds a subject starting with "[REF]" at 78
# by breaking right after "Subject:", which some readers show with a leading space.
MAIL_POLICY = policy.SMTP.clone(max_line_length=998)


class Unsendable(ValueError):
    """This message can never be sent as it is; the reason is kept on its outbox row."""


# What building a message raises for a value it cannot take: the row's fault, not the pass's.
_BUILD_ERRORS = (ValueError, TypeError, UnicodeError, LookupError, email_errors.MessageError)


def recipient(address: str) -> str:
    """An address is never repaired (a stripped one may be someone else's): one holding a
    control character or a line break is refused."""
    problem = control_problem(address)
    if problem or "@" not in address:
        reason = problem or "has no @"
        raise Unsendable(f"the recipient {shown(address)!r} is not one e-mail address: {reason}")
    return address


def build_message(row, settings: SmtpSettings, now: datetime) -> EmailMessage:
    """Header values are made one line (text.one_line): a subject built from a title or a
    name can neither split its header nor add one, whatever was stored."""
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = settings.mail_from
    message["To"] = recipient(row.to_address)
    message["Subject"] = one_line(row.subject)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(row.id, settings)
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    return message


def deliver_outbox(
    session: Session,
    clock,
    settings: SmtpSettings,
    *,
    batch_size: int = 20,
    lease: timedelta = DEFAULT_LEASE,
    step_hook: Callable[[str], None] | None = None,
) -> DeliveryResult:
    """Send every due outbox row; rows another process has claimed are left to it."""
    result = DeliveryResult()
    if not settings.configured:
        result.not_configured = True
        global _warned_unconfigured
        if not _warned_unconfigured:  # once per process, not once a minute
            log.warning(
                "TWINFLOW_SMTP_HOST is not set: e-mail stays queued in the outbox (/admin/outbox)"
            )
            _warned_unconfigured = True
        return result
    hook = step_hook or (lambda _name: None)
    while True:
        claimed = _claim(session, clock.now(), batch_size, lease)
        if not claimed:
            return result
        hook("after_claim")
        try:
            conn = connect(settings)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("SMTP server %s:%s unreachable: %s", settings.host, settings.port, exc)
            _retry_later(session, claimed, clock.now(), exc)
            result.retrying += len(claimed)
            return result
        try:
            keep_going = _send_batch(session, clock, settings, conn, claimed, result, hook)
        finally:
            _quit(conn)
        if not keep_going:
            return result


def _send_batch(session, clock, settings, conn, claimed, result, hook) -> bool:
    """Send the claimed rows one by one; False when the server failed and the pass should stop.
    An unexpected error puts the rows not yet sent back in the queue, then is raised."""
    for index, row in enumerate(claimed):
        try:
            failure = _send_one(session, clock, settings, conn, row, result, hook)
        except BaseException as exc:
            _release(session, claimed[index:], clock.now(), exc)
            raise
        if failure is not None:
            # A transient failure usually means the connection is gone: the rest wait too.
            rest = claimed[index:]
            _retry_later(session, rest, clock.now(), failure)
            result.retrying += len(rest)
            return False
    return True


def _send_one(session, clock, settings, conn, row, result, hook) -> BaseException | None:
    """Send one row, or mark it failed for good; returns the error of a server failure."""
    try:
        conn.send_message(build_message(row, settings, clock.now()))
    except (OSError, smtplib.SMTPException, *_BUILD_ERRORS) as exc:
        if not _permanent(exc):
            log.warning("outbox %s not sent, will retry: %s", row.id, exc)
            return exc
        log.error("outbox %s refused for good: %s", row.id, _describe(exc))
        _mark(session, row.id, status="failed", last_error=_describe(exc))
        result.failed += 1
        return None
    hook("after_send")
    _mark(session, row.id, status="sent", sent_at=clock.now(), last_error=None)
    result.sent += 1
    hook("after_mark_sent")
    return None


def _claim(session: Session, now: datetime, limit: int, lease: timedelta) -> list:
    """Take up to `limit` due rows (queued, or 'sending' whose lease ran out) in one committed
    statement. PostgreSQL skips rows another sender has locked; SQLite has one writer."""
    due = (
        select(OutboxEmail.id)
        .where(
            OutboxEmail.status.in_(("queued", "sending")),
            OutboxEmail.next_attempt_at <= now,
        )
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    try:
        rows = session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.id.in_(due.scalar_subquery()))
            .values(
                status="sending",
                attempts=OutboxEmail.attempts + 1,
                next_attempt_at=now + lease,
            )
            .returning(
                OutboxEmail.id,
                OutboxEmail.to_address,
                OutboxEmail.subject,
                OutboxEmail.body_text,
                OutboxEmail.body_html,
                OutboxEmail.attempts,
            )
            .execution_options(synchronize_session=False)
        ).all()
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return sorted(rows, key=lambda r: r.id)


def _mark(session: Session, outbox_id: int, **values) -> None:
    try:
        session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.id == outbox_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _retry_later(session: Session, rows, now: datetime, exc: BaseException) -> None:
    for row in rows:
        _mark(
            session,
            row.id,
            status="queued",
            next_attempt_at=now + backoff(row.attempts),
            last_error=_describe(exc),
        )


def _release(session: Session, rows, now: datetime, exc: BaseException) -> None:
    """Rows still 'sending' go back to the queue, due after the first backoff; the error that
    stopped the pass is raised by the caller whatever happens here."""
    try:
        session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.id.in_([row.id for row in rows]), OutboxEmail.status == "sending")
            .values(status="queued", next_attempt_at=now + BACKOFF_BASE, last_error=_describe(exc))
            .execution_options(synchronize_session=False)
        )
        session.commit()
    except Exception:
        session.rollback()
        log.exception("outbox rows %s stay claimed until their lease ends", [r.id for r in rows])


def _permanent(exc: BaseException) -> bool:
    """A message the e-mail package cannot build, a server without SMTPUTF8 for a non-ASCII
    address, or a 5xx refusal of this recipient or this message will not change on a retry;
    anything else (server down, 4xx, a refused sender, which is our configuration) is
    retried."""
    if isinstance(exc, (*_BUILD_ERRORS, smtplib.SMTPNotSupportedError)):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return False


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


def _quit(conn) -> None:
    try:
        conn.quit()
    except (OSError, smtplib.SMTPException):
        conn.close()
