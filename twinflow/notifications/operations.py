"""Queueing notifications (in-app) inside the transaction that causes them; their e-mail is
written later by mail_queue.py, and they are read through inbox.py."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, bindparam, case, cast, func, literal, or_, select, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from twinflow.auth.models import User
from twinflow.i18n import DEFAULT_LANGUAGE, LANGUAGES
from twinflow.notifications.content import Wording, language_of, worded
from twinflow.notifications.models import Notification
from twinflow.projects.permissions import covering_organisations_clause
from twinflow.text import one_line

# Parties told as the covering coordinators are (the Delegation, the contracting authority):
# a notice reaches those of the covering organisations, of whom they are some.
COORDINATING = {"coordinator", "contracting_authority", "delegation"}


def _recipients_shape(parties: set[str], lead_member_state: str | None) -> tuple:
    return (
        bool(parties & COORDINATING),
        "beneficiary" in parties,
        "member_state" in parties,
        "member_state" not in parties
        and "lead_member_state" in parties
        and bool(lead_member_state),
    )


def _recipients_params(project, shape: tuple, lead_member_state: str | None) -> dict:
    params = {}
    if shape[0] or shape[1]:
        params["country"] = project.beneficiary_country
        # None (an imported record naming no institution) matches no user.
        institution = project.beneficiary_institution
        params["institution"] = institution.lower() if institution else None
    if shape[3]:
        params["lead"] = lead_member_state
    return params


def users_for_parties(
    session: Session, project, parties: Iterable[str], lead_member_state: str | None
) -> list:
    """The active users who act as any of these parties on the project: rows with the id,
    email, digest_enabled, is_active, time_zone and language a notice needs (not whole User
    entities: this runs in every transition, and loading entities was its largest cost)."""
    shape = _recipients_shape(set(parties), lead_member_state)
    if not any(shape):
        return []
    stmt = _RECIPIENTS.get(shape)
    if stmt is None:  # one statement per combination of parties, built once
        stmt = _RECIPIENTS[shape] = _recipients_statement(*shape)
    return list(session.execute(stmt, _recipients_params(project, shape, lead_member_state)))


def _recipients_clause(coordinator, beneficiary, every_member_state, lead_member_state):
    clauses = []
    if coordinator:
        # Only the coordinators whose organisation covers the project's country.
        clauses.append((User.role == "coordinator") & covering_organisations_clause("country"))
    if beneficiary:
        clauses.append(
            (User.role == "beneficiary")
            & (User.country == bindparam("country"))
            & (func.lower(User.organisation) == bindparam("institution"))
        )
    if every_member_state:
        clauses.append(User.role == "member_state")
    if lead_member_state:
        clauses.append((User.role == "member_state") & (User.country == bindparam("lead")))
    return User.is_active.is_(True) & or_(*clauses)


def _recipients_statement(*shape):
    return (
        select(
            User.id,
            User.email,
            User.digest_enabled,
            User.is_active,
            User.time_zone,
            User.language,
        )
        .where(_recipients_clause(*shape))
        .order_by(User.id)
    )


_RECIPIENTS: dict = {}
_INSERT_IGNORING: dict = {}


def insert_ignoring_duplicates(session: Session, model, rows: list[dict], returning=()):
    """INSERT ... ON CONFLICT DO NOTHING: a row whose unique key exists is skipped, and only
    the rows really inserted come back. Rows go as one executemany, so the statement is
    compiled once and cached whatever the number of rows."""
    dialect = session.get_bind().dialect.name
    cache_key = (dialect, model, tuple(returning))
    stmt = _INSERT_IGNORING.get(cache_key)
    if stmt is None:  # built once per shape: construction costs more than the execution
        # On the Table, not the mapped class: skips the ORM's bulk-insert machinery.
        stmt = _insert_ignoring(dialect, model.__table__)
        if returning:
            stmt = stmt.returning(*returning)
        _INSERT_IGNORING[cache_key] = stmt
    return session.execute(stmt, rows)


def _insert_ignoring(dialect: str, table):
    """INSERT ... ON CONFLICT DO NOTHING in the dialect's own construct."""
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table).on_conflict_do_nothing()


SUBJECT_MAX = Notification.__table__.c.subject.type.length


def subject_line(text: str) -> str:
    """A subject as stored and mailed: one line, and cut to fit its column (a title of 300
    characters plus its reference would not), so no title can make a transition fail."""
    line = one_line(text)
    return line if len(line) <= SUBJECT_MAX else line[: SUBJECT_MAX - 1] + "…"


@dataclass
class Notice:
    """One cause to tell some users about; each gets a notification keyed `key:user:<id>`,
    worded in the user's language (see content.Wording: a function composing the text is
    called once per language read)."""

    users: list
    kind: str
    key: str
    subject: Wording
    body: Wording
    project_id: int | None = None
    link: str | None = None
    email: bool = True


def notify(
    session: Session,
    users: Iterable[User],
    *,
    kind: str,
    key: str,
    subject: Wording,
    body: Wording,
    now: datetime,
    project_id: int | None = None,
    link: str | None = None,
    email: bool = True,
) -> int:
    """One notification per user under `key:user:<id>`; a key already used is skipped, so a
    repeated call (a retried scheduler pass) tells nobody twice. Each is marked for e-mail
    (`mail_pending`), except for users who chose the daily digest; the scheduler's pass writes
    the e-mails. Returns how many notifications were new."""
    notice = Notice(list(users), kind, key, subject, body, project_id, link, email)
    return notify_many(session, [notice], now=now)


def notify_many(session: Session, notices: Iterable[Notice], *, now: datetime) -> int:
    """`notify` for many causes in one statement, whatever their number (a scheduler batch).
    A notification to mail is marked `mail_pending`; the scheduler's pass writes the e-mail
    (`queue_pending_mails`) before it delivers."""
    rows, seen = [], set()
    for notice in notices:
        words: dict[str, tuple[str, str]] = {}  # language -> (subject, body)
        for user in notice.users:
            if not user.is_active:
                continue
            key = f"{notice.key}:user:{user.id}"
            if key in seen:
                continue
            seen.add(key)
            language = language_of(user)
            if language not in words:
                words[language] = (worded(notice.subject, language), worded(notice.body, language))
            subject, body = words[language]
            rows.append(
                dict(
                    key=key,
                    user_id=user.id,
                    project_id=notice.project_id,
                    kind=notice.kind,
                    subject=subject_line(subject),
                    body=body,
                    link=notice.link,
                    created_at=now,
                    mail_pending=notice.email and not user.digest_enabled,
                )
            )
    if not rows:
        return 0
    inserted = insert_ignoring_duplicates(
        session, Notification, rows, returning=(Notification.id,)
    ).all()
    return len(inserted)


def notify_member_states(
    session: Session,
    told: list[tuple[str, str, Wording]],
    *,
    kind: str,
    subject: Wording,
    now: datetime,
    project_id: int | None = None,
    link: str | None = None,
) -> None:
    """`notify` for the active Member State users of each country of `told` ((country, key,
    body) triples: each country its own text), in one INSERT ... SELECT joining the users to
    the triples, however many (the bidders of a call round were one read and one insert per
    proposal). Each triple carries its text in every language and each recipient gets theirs,
    as `notify` gives it (English for one who chose none)."""
    if not told:
        return
    others = [language for language in LANGUAGES if language != DEFAULT_LANGUAGE]
    params = {"ms_project": project_id, "ms_kind": kind, "ms_link": link, "ms_now": now}
    for language in LANGUAGES:
        params[f"ms_subject_{language}"] = subject_line(worded(subject, language))
    for i, (country, key, body) in enumerate(told):
        params[f"ms_c{i}"], params[f"ms_k{i}"] = country, key
        params[f"ms_b{i}_{DEFAULT_LANGUAGE}"] = worded(body, DEFAULT_LANGUAGE)
        for language in others:
            params[f"ms_b{i}_{language}"] = worded(body, language)
    dialect = session.get_bind().dialect.name
    statement = _MEMBER_STATES.get((len(told), dialect))
    if statement is None:  # one statement per number of triples, built once
        statement = _member_states_statement(len(told), dialect)
        _MEMBER_STATES[(len(told), dialect)] = statement
    session.connection().execute(statement, params)


_MEMBER_STATES: dict = {}


def _member_states_statement(n: int, dialect: str):
    """notify_member_states' INSERT ... SELECT for n triples, with bind parameters (the same
    SQL as literals gave; building it for every call cost ~500 Python calls)."""
    notes = Notification.__table__.c
    others = [language for language in LANGUAGES if language != DEFAULT_LANGUAGE]

    def param(name, column):
        return bindparam(f"ms_{name}", type_=column.type)

    each = [
        select(
            param(f"c{i}", User.country).label("country"),
            param(f"k{i}", notes.key).label("key"),
            *(param(f"b{i}_{lang}", notes.body).label(f"body_{lang}") for lang in LANGUAGES),
        )
        for i in range(n)
    ]
    triples = (each[0] if n == 1 else union_all(*each)).subquery("told")

    def theirs(translated):
        """The recipient's language's text (translated(language)), else the English one."""
        whens = [(User.language == lang, translated(lang)) for lang in others]
        english = translated(DEFAULT_LANGUAGE)
        return case(*whens, else_=english) if whens else english

    rows = (
        select(
            triples.c.key + literal(":user:") + cast(User.id, String),
            User.id,
            param("project", notes.project_id),
            param("kind", notes.kind),
            theirs(lambda lang: param(f"subject_{lang}", notes.subject)),
            theirs(lambda lang: triples.c[f"body_{lang}"]),
            param("link", notes.link),
            param("now", notes.created_at),
            User.digest_enabled.is_(False),  # digest readers get theirs once a day
        )
        .join_from(User, triples, User.country == triples.c.country)
        .where(User.role == "member_state", User.is_active.is_(True))
    )
    columns = ["key", "user_id", "project_id", "kind", "subject", "body", "link"]
    columns += ["created_at", "mail_pending"]
    return _insert_ignoring(dialect, Notification.__table__).from_select(columns, rows)


def notify_parties(
    session: Session, project, parties: Iterable[str], lead_member_state: str | None, **notice
) -> None:
    """`notify` for every active user acting as one of these parties on the project (but the
    one who caused it), in one INSERT ... SELECT: the database chooses the recipients as it
    writes their rows, instead of reading the users into Python first. `notice`: the keyword
    arguments of `parties_notice`."""
    found = parties_notice(session, project, parties, lead_member_state, **notice)
    if found is not None:
        session.execute(*found)


def parties_notice(
    session: Session,
    project,
    parties: Iterable[str],
    lead_member_state: str | None,
    *,
    kind: str,
    key: str,
    subject: Wording,
    body: Wording,
    now: datetime,
    link: str | None = None,
    except_user_id: int | None = None,
) -> tuple | None:
    """`notify_parties`' statement and its parameters, not yet run (None: nobody to tell), for
    a caller that sends it inside a statement of its own (a transition's audit append on
    PostgreSQL). The statement is built once per combination of parties; its parameter
    `project_id` is the project's id, so it may share that name with the caller's."""
    shape = _recipients_shape(set(parties), lead_member_state)
    if not any(shape):
        return None
    dialect = session.get_bind().dialect.name
    statement = _FAN_OUT.get((dialect, shape))
    if statement is None:
        statement = _FAN_OUT[(dialect, shape)] = _fan_out_statement(dialect, shape)
    params = _recipients_params(project, shape, lead_member_state) | dict(
        key_prefix=f"{key}:user:",
        except_user=except_user_id or 0,
        project_id=project.id,
        kind=kind,
        link=link,
        now=now,
    )
    # The text in every language; the statement gives each recipient theirs.
    for language in LANGUAGES:
        suffix = "" if language == DEFAULT_LANGUAGE else f"_{language}"
        params[f"subject{suffix}"] = subject_line(worded(subject, language))
        params[f"body{suffix}"] = worded(body, language)
    return statement, params


_FAN_OUT: dict = {}


def _typed(name: str, column) -> object:
    return bindparam(name, type_=column.type)


def _in_their_language(name: str, column):
    """The recipient's own language's text (`<name>_<language>`), else the English `<name>`."""
    others = [language for language in LANGUAGES if language != DEFAULT_LANGUAGE]
    return case(
        *((User.language == lang, _typed(f"{name}_{lang}", column)) for lang in others),
        else_=_typed(name, column),
    )


def _fan_out_statement(dialect: str, shape: tuple):
    notes = Notification.__table__.c
    recipients = select(
        _typed("key_prefix", notes.key) + cast(User.id, String),
        User.id,
        _typed("project_id", notes.project_id),
        _typed("kind", notes.kind),
        _in_their_language("subject", notes.subject),
        _in_their_language("body", notes.body),
        _typed("link", notes.link),
        _typed("now", notes.created_at),
        User.digest_enabled.is_(False),  # digest readers get theirs once a day
    ).where(_recipients_clause(*shape), User.id != bindparam("except_user"))
    columns = [
        "key",
        "user_id",
        "project_id",
        "kind",
        "subject",
        "body",
        "link",
        "created_at",
        "mail_pending",
    ]
    return _insert_ignoring(dialect, Notification.__table__).from_select(columns, recipients)
