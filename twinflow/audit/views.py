"""The audit log for administrators: filters, CSV export, and verifying the hash chain."""

import tempfile
from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, Response, abort, current_app, render_template, request
from sqlalchemy import func, or_, select

from twinflow.api.fields import MAX_ID
from twinflow.audit.actors import newest_first, resolve
from twinflow.audit.display import breakable, details, load_data
from twinflow.audit.forms import AuditFilterForm
from twinflow.audit.models import AuditEvent, AuditHead
from twinflow.audit.operations import export_csv, iter_events, verify_chain
from twinflow.audit.permissions import can_read_full_audit
from twinflow.audit.words import AuditWords
from twinflow.auth.forms import ButtonForm
from twinflow.auth.models import User
from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.projects.models import Project
from twinflow.web.helpers import Page, int_arg, permission_required

blueprint = Blueprint("web_audit", __name__, template_folder="templates", url_prefix="/admin/audit")
PER_PAGE = 50
# Filtered events are counted (and paged) up to this many.
COUNT_CAP = 10_000
# A project filter naming up to this many projects is sent as their numbers.
PROJECTS_LISTED = 500


FILTERS = ("action", "project", "actor", "date_from", "date_to")


def _project_clause(form: AuditFilterForm):
    """Events of the projects whose reference contains the text or whose number it is; None
    (and the reason on the field) when it names no project at all."""
    text = form.project.data.strip()
    # ASCII digits only ("²".isdigit() is true); a number no id column holds names no project.
    digits = text.isascii() and text.isdigit()
    number = int(text) if digits and len(text) <= 10 and int(text) <= MAX_ID else None
    named = Project.reference.icontains(text, autoescape=True)
    if number is not None:
        named = or_(named, Project.id == number)
    # Resolved once, not in each of the count's and the page's subqueries; a substring of the
    # references (kept as written: "UA/47" is in "UA/47b"), served on PostgreSQL by their
    # trigram index (migration 0025). A text naming very many projects stays a subquery.
    ids = db.session.scalars(select(Project.id).where(named).limit(PROJECTS_LISTED + 1)).all()
    if not ids:
        reason = _("no project has the number or a reference containing “%(text)s”", text=text)
        if digits and number is None:
            highest = f"{MAX_ID:,}"  # (outside the call: the catalogue check reads its f-strings)
            reason += " " + _("(project numbers go up to %(max)s)", max=highest)
        form.project.errors.append(reason)
        return None
    if len(ids) <= PROJECTS_LISTED:
        return AuditEvent.project_id.in_(ids)
    return AuditEvent.project_id.in_(select(Project.id).where(named))


def _filtered(form: AuditFilterForm):
    """The query, and every reason the filters cannot run, each naming its field; with any
    reason there is no query: a bad value is said, never read as "no event matches". And the
    actor addresses the query lists (None: not an actor filter by listed addresses)."""
    clauses, addresses = [], None
    if form.validate():
        if form.action.data:
            clauses.append(AuditEvent.action == form.action.data)
        if form.project.data and form.project.data.strip():
            clause = _project_clause(form)  # None: the reason is on the field
            clauses += [clause] if clause is not None else []
        if form.actor.data:
            text = form.actor.data.strip()
            # The same events as the substring test on every event, by the addresses it matches.
            clause, addresses = resolve(
                db.session, lambda email: email.icontains(text, autoescape=True)
            )
            clauses.append(clause)
        if form.date_from.data:
            start = datetime.combine(form.date_from.data, time.min, tzinfo=UTC)
            clauses.append(AuditEvent.occurred_at >= start)
        if form.date_to.data:
            end = datetime.combine(form.date_to.data, time.min, tzinfo=UTC) + timedelta(days=1)
            clauses.append(AuditEvent.occurred_at < end)
    problems = [
        _(
            "%(name)s: not a filter of this page (the filters are %(filters)s)",
            name=name,
            filters=", ".join(FILTERS),
        )
        for name in request.args
        if name not in (*FILTERS, "page")
    ]
    problems += [
        _("%(field)s: %(error)s", field=form[name].label.text, error=error)
        for name, errors in form.errors.items()
        for error in errors
    ]
    if problems:
        return None, problems, None
    return select(AuditEvent).where(*clauses), [], addresses


def _whole_trail_page() -> tuple[int, int, list]:
    """The unfiltered log read by sequence number: the chain is gapless from 1 to the head
    (the triggers take only the head's successor and refuse deletes), so the head row gives
    the count and page N starts at event head - 50 (N - 1): the same cost on any page of a
    trail of any length, where COUNT(*) and OFFSET would read every event before it."""
    head = db.session.scalar(select(AuditHead.seq).where(AuditHead.id == 1)) or 0
    page = int_arg("page", 1, high=max(1, -(-head // PER_PAGE)))
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.seq <= head - (page - 1) * PER_PAGE)
        .order_by(AuditEvent.seq.desc())
        .limit(PER_PAGE)
    ).all()
    return head, page, events


@blueprint.get("")
@permission_required(can_read_full_audit)
def log():
    return _log_page()


def _log_page(verified=None):
    form = AuditFilterForm(request.args)
    query, problems, addresses = _filtered(form)
    total, page, events, capped = 0, 1, [], False
    if query is not None and query.whereclause is None:
        total, page, events = _whole_trail_page()
    elif query is not None:
        # Counted up to the cap only: an exact count of a broad filter over millions of
        # events costs a scan each time, and no one pages through 200 pages of them.
        total = db.session.scalar(
            select(func.count()).select_from(
                # seq, not id: an actor's events are counted from the index (actor_email, seq)
                # alone, without reading the rows.
                query.with_only_columns(AuditEvent.seq).limit(COUNT_CAP + 1).subquery()
            )
        )
        capped, total = total > COUNT_CAP, min(total, COUNT_CAP)
        page = int_arg("page", 1, high=max(1, -(-total // PER_PAGE)))
        skip = (page - 1) * PER_PAGE  # the last page ends at the cap
        # Within dates, newest first by the time index (events are appended in time order):
        # by sequence number the database would sort every event of the range for each page.
        dated = form.date_from.data or form.date_to.data
        size = max(min(PER_PAGE, total - skip), 0)
        merged = None if dated or not addresses else newest_first(query, addresses, skip, size)
        order = (AuditEvent.occurred_at.desc(),) if dated else ()
        paged = query.order_by(*order, AuditEvent.seq.desc()).limit(size).offset(skip)
        events = db.session.scalars(merged if merged is not None else paged).all()
    references = dict(
        db.session.execute(
            select(Project.id, Project.reference).where(
                Project.id.in_({e.project_id for e in events if e.project_id})
            )
        ).all()
    )
    # People by name (the e-mail on hover): the log is read by a person.
    names = dict(
        db.session.execute(
            select(User.id, func.coalesce(User.name, User.email)).where(
                User.id.in_({e.actor_id for e in events if e.actor_id})
            )
        ).all()
    )
    return render_template(
        "audit/log.html",
        names=names,
        form=form,
        problems=problems,
        page=Page([(e, details(load_data(e))) for e in events], page, PER_PAGE, total),
        references=references,
        breakable=breakable,
        verified=verified,
        capped=capped,
        button=ButtonForm(),
        query_string=request.query_string.decode(),
    ), (422 if problems else 200)


@blueprint.post("/verify")
@permission_required(can_read_full_audit)
def verify():
    if not ButtonForm().validate_on_submit():
        abort(400, _("The form expired; nothing was checked."))
    return _log_page(verified=verify_chain(db.session))


@blueprint.get("/export.csv")
@permission_required(can_read_full_audit)
def export():
    query, problems = _filtered(AuditFilterForm(request.args))[:2]
    if query is None:
        abort(422, _("Nothing was exported: %(problems)s.", problems="; ".join(problems)))
    # Spooled: small exports stay in memory, a large trail goes to a temporary file.
    spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - the streaming generator closes it
        max_size=4 * 1024 * 1024, mode="w+", newline=""
    )
    words = AuditWords(db.session, current_app.extensions["twinflow.registry"])
    export_csv(iter_events(db.session, query), spool, words)
    spool.seek(0)

    def chunks():
        with spool:
            while block := spool.read(64 * 1024):
                yield block

    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Response(
        chunks(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="twinflow-audit-{stamp}.csv"'},
    )
