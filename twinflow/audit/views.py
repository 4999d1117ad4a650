"""The audit log for administrators: filters, CSV export, and verifying the hash chain."""

import tempfile
from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, Response, abort, current_app, render_template, request
from sqlalchemy import func, or_, select

from twinflow.api.fields import MAX_ID
from twinflow.audit.display import breakable, details, load_data
from twinflow.audit.forms import AuditFilterForm
from twinflow.audit.models import AuditEvent
from twinflow.audit.operations import export_csv, iter_events, verify_chain
from twinflow.audit.permissions import can_read_full_audit
from twinflow.audit.words import AuditWords
from twinflow.auth.forms import ButtonForm
from twinflow.auth.models import User
from twinflow.extensions import db
from twinflow.projects.models import Project
from twinflow.web.helpers import Page, int_arg, permission_required

blueprint = Blueprint("web_audit", __name__, template_folder="templates", url_prefix="/admin/audit")
PER_PAGE = 50


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
    if db.session.scalar(select(Project.id).where(named).limit(1)) is None:
        reason = f"no project has the number or a reference containing “{text}”"
        if digits and number is None:
            reason += f" (project numbers go up to {MAX_ID:,})"
        form.project.errors.append(reason)
        return None
    return AuditEvent.project_id.in_(select(Project.id).where(named))


def _filtered(form: AuditFilterForm):
    """The query, and every reason the filters cannot run, each naming its field; with any
    reason there is no query: a bad value is said, never read as "no event matches"."""
    clauses = []
    if form.validate():
        if form.action.data:
            clauses.append(AuditEvent.action == form.action.data)
        if form.project.data and form.project.data.strip():
            clause = _project_clause(form)  # None: the reason is on the field
            clauses += [clause] if clause is not None else []
        if form.actor.data:
            text = form.actor.data.strip()
            clauses.append(AuditEvent.actor_email.icontains(text, autoescape=True))
        if form.date_from.data:
            start = datetime.combine(form.date_from.data, time.min, tzinfo=UTC)
            clauses.append(AuditEvent.occurred_at >= start)
        if form.date_to.data:
            end = datetime.combine(form.date_to.data, time.min, tzinfo=UTC) + timedelta(days=1)
            clauses.append(AuditEvent.occurred_at < end)
    problems = [
        f"{name}: not a filter of this page (the filters are {', '.join(FILTERS)})"
        for name in request.args
        if name not in (*FILTERS, "page")
    ]
    problems += [
        f"{form[name].label.text}: {error}"
        for name, errors in form.errors.items()
        for error in errors
    ]
    if problems:
        return None, problems
    return select(AuditEvent).where(*clauses), []


@blueprint.get("")
@permission_required(can_read_full_audit)
def log():
    return _log_page()


def _log_page(verified=None):
    form = AuditFilterForm(request.args)
    query, problems = _filtered(form)
    total, page, events = 0, 1, []
    if query is not None:
        total = db.session.scalar(select(func.count()).select_from(query.subquery()))
        page = int_arg("page", 1, high=max(1, -(-total // PER_PAGE)))
        events = db.session.scalars(
            query.order_by(AuditEvent.seq.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
        ).all()
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
        button=ButtonForm(),
        query_string=request.query_string.decode(),
    ), (422 if problems else 200)


@blueprint.post("/verify")
@permission_required(can_read_full_audit)
def verify():
    if not ButtonForm().validate_on_submit():
        abort(400, "The form expired; nothing was checked.")
    return _log_page(verified=verify_chain(db.session))


@blueprint.get("/export.csv")
@permission_required(can_read_full_audit)
def export():
    query, problems = _filtered(AuditFilterForm(request.args))
    if query is None:
        abort(422, f"Nothing was exported: {'; '.join(problems)}.")
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
