"""The audit trail's actor filters, resolved to the addresses they match.

An event matches a text on its actor e-mail alone, so "the events whose actor_email matches"
are exactly "the events whose actor_email is one of the distinct addresses that match". The
trail keeps each address as written at the time (users.email is today's), so the distinct
addresses are read from the trail itself: a walk along the index on (actor_email, seq)
(migration 0027), one probe per distinct address, whatever the number of events. The text is
then tested on those few values by the very same SQL expression, and the events read as
`actor_email IN (...)` along the same index: the capped count of the audit log is an index
range of at most 10,001 entries and a page is read newest first, at 400k or 2M events alike.
"""

from collections.abc import Callable

from sqlalchemy import ColumnElement, Select, and_, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from twinflow.audit.models import AuditEvent

# Distinct addresses walked at most: a trail written by more people than this is filtered by
# the plain expression (exact as well, only not bounded by the index).
WALKED = 2_000
# Matching addresses sent as a list at most (bound parameters; SQLite allows 32,766).
LISTED = 500
# Addresses whose newest events are merged for a page at most (one index range each; SQLite
# allows 500 parts in a UNION).
MERGED = 50


def actor_clause(
    session: Session, matches: Callable[[ColumnElement], ColumnElement]
) -> ColumnElement:
    return resolve(session, matches)[0]


def resolve(
    session: Session, matches: Callable[[ColumnElement], ColumnElement]
) -> tuple[ColumnElement, list[str] | None]:
    """The events whose actor_email satisfies matches(column), and the addresses listed:
    `actor_email IN (addresses)` when the trail's addresses could be walked and few match;
    else matches() itself (and None)."""
    emails = matching_emails(session, matches)
    if emails is None or len(emails) > LISTED:
        # `id IS NOT NULL` (always true) keeps the plain test off an index-only scan of
        # (actor_email, seq): PostgreSQL would read it in address order, a frequent address
        # late in the alphabet after most of the index (2M events: 1.6 s where the scan in
        # table order stops at the 10,001st match, 0.2 s, at load 10; the trigram index serves a
        # rare text, as before migration 0027).
        return and_(matches(AuditEvent.actor_email), AuditEvent.id.is_not(None)), None
    return AuditEvent.actor_email.in_(emails), emails


def newest_first(query: Select, emails: list[str], skip: int, size: int) -> Select | None:
    """Events skip .. skip + size of `query` newest first by seq, when its actor clause lists
    up to MERGED addresses: each address's own newest skip + size events along the index
    (actor_email, seq), merged, then the page's events by seq. Ordered by seq over several
    addresses, SQLite (and PostgreSQL for sparse ones) reads and sorts every event of them;
    a later page of a frequent address is read along the seq index, every skipped event from
    the table. None: the first page of one address (read in order as it is) or too many."""
    if len(emails) > MERGED or (len(emails) == 1 and skip == 0):
        return None
    ranges = [
        query.where(AuditEvent.actor_email == email)
        .with_only_columns(AuditEvent.seq)
        .order_by(AuditEvent.seq.desc())
        .limit(skip + size)
        .subquery()
        for email in emails
    ]
    merged = union_all(*(select(part.c.seq) for part in ranges)).subquery()
    seqs = select(merged.c.seq).order_by(merged.c.seq.desc()).limit(size).offset(skip)
    return select(AuditEvent).where(AuditEvent.seq.in_(seqs)).order_by(AuditEvent.seq.desc())


def matching_emails(
    session: Session, matches: Callable[[ColumnElement], ColumnElement]
) -> list[str] | None:
    """The distinct non-NULL actor e-mails of the trail satisfying matches(column), in the
    index's order; None when the trail holds more than WALKED distinct addresses."""
    step = aliased(AuditEvent)

    def after(previous):
        """The next address of the index after `previous` (the first when None): one probe."""
        query = select(step.actor_email).where(step.actor_email.is_not(None))
        if previous is not None:
            query = query.where(step.actor_email > previous)
        return query.order_by(step.actor_email).limit(1).scalar_subquery()

    walk = select(after(None).label("email"), literal(1).label("n")).cte("walk", recursive=True)
    walk = walk.union_all(
        select(after(walk.c.email), walk.c.n + 1).where(
            walk.c.email.is_not(None), walk.c.n <= WALKED
        )
    )
    # The walk ends on a NULL row once past the last address; a cut walk (more than WALKED
    # addresses) has none, and then the walked part says nothing about the rest.
    rows = session.scalars(
        select(walk.c.email).where(or_(walk.c.email.is_(None), matches(walk.c.email)))
    ).all()
    if None not in rows:
        return None
    return [email for email in rows if email is not None]
