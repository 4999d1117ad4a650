"""The audit log for administrators: filters, CSV export, and verifying the hash chain."""

import tempfile
from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, Response, abort, render_template, request
from sqlalchemy import func, or_, select

from twinflow.audit.forms import AuditFilterForm
from twinflow.audit.models import AuditEvent
from twinflow.audit.operations import export_csv, iter_events, verify_chain
from twinflow.auth.forms import ButtonForm
from twinflow.extensions import db
from twinflow.projects.models import Project
from twinflow.web.helpers import Page, int_arg, roles_required
from twinflow.web.timeline import load_data

blueprint = Blueprint("web_audit", __name__, template_folder="templates", url_prefix="/admin/audit")
PER_PAGE = 50


def _filtered(form: AuditFilterForm):
    query = select(AuditEvent)
    if not form.validate():
        return query, False
    if form.action.data:
        query = query.where(AuditEvent.action == form.action.data)
    if form.project.data:
        text = form.project.data.strip()
        ids = select(Project.id).where(func.lower(Project.reference).like(f"%{text.lower()}%"))
        clause = AuditEvent.project_id.in_(ids)
        if text.isdigit():
            clause = or_(clause, AuditEvent.project_id == int(text))
        query = query.where(clause)
    if form.actor.data:
        query = query.where(
            func.lower(AuditEvent.actor_email).like(f"%{form.actor.data.strip().lower()}%")
        )
    if form.date_from.data:
        start = datetime.combine(form.date_from.data, time.min, tzinfo=UTC)
        query = query.where(AuditEvent.occurred_at >= start)
    if form.date_to.data:
        end = datetime.combine(form.date_to.data, time.min, tzinfo=UTC) + timedelta(days=1)
        query = query.where(AuditEvent.occurred_at < end)
    return query, True


@blueprint.get("")
@roles_required("admin")
def log():
    return _log_page()


def _log_page(verified=None):
    form = AuditFilterForm(request.args)
    query, valid = _filtered(form)
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
    return render_template(
        "audit/log.html",
        form=form,
        valid=valid,
        page=Page([(e, load_data(e)) for e in events], page, PER_PAGE, total),
        references=references,
        verified=verified,
        button=ButtonForm(),
        query_string=request.query_string.decode(),
    ), (200 if valid else 422)


@blueprint.post("/verify")
@roles_required("admin")
def verify():
    if not ButtonForm().validate_on_submit():
        abort(400, "The form expired; nothing was checked.")
    return _log_page(verified=verify_chain(db.session))


@blueprint.get("/export.csv")
@roles_required("admin")
def export():
    form = AuditFilterForm(request.args)
    query, valid = _filtered(form)
    if not valid:
        abort(422, "The filters are not valid; fix them on the audit log page.")
    # Spooled: small exports stay in memory, a large trail goes to a temporary file.
    spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - the streaming generator closes it
        max_size=4 * 1024 * 1024, mode="w+", newline=""
    )
    export_csv(iter_events(db.session, query), spool)
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
