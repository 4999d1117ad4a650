"""The e-mail outbox for administrators: what was queued, sent or failed and why, each message
readable in full (the demo has no SMTP server: this page is where its e-mails are read)."""

from flask import Blueprint, abort, render_template, request
from sqlalchemy import func, select

from twinflow.extensions import db
from twinflow.i18n import lazy_gettext
from twinflow.notifications.models import OutboxEmail
from twinflow.web.helpers import Page, int_arg, roles_required

blueprint = Blueprint(
    "web_outbox", __name__, template_folder="templates", url_prefix="/admin/outbox"
)
PER_PAGE = 50
# The stored status, and the words an administrator reads for it ('sending' is a claim held
# by a scheduler pass, which it either sends or gives back).
STATUSES = {
    "queued": lazy_gettext("Queued"),
    "sending": lazy_gettext("Being sent"),
    "sent": lazy_gettext("Sent"),
    "failed": lazy_gettext("Failed"),
}


@blueprint.get("")
@roles_required("admin")
def index():
    status = request.args.get("status", "")
    if status and status not in STATUSES:
        status = ""  # an unknown filter shows everything, and the page says which is applied
    query = select(OutboxEmail)
    if status:
        query = query.where(OutboxEmail.status == status)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = int_arg("page", 1, high=max(1, -(-total // PER_PAGE)))
    rows = db.session.scalars(
        query.order_by(OutboxEmail.created_at.desc(), OutboxEmail.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    counts = dict(
        db.session.execute(
            select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)
        ).all()
    )
    return render_template(
        "notifications/outbox.html",
        page=Page(list(rows), page, PER_PAGE, total),
        status=status,
        statuses=STATUSES,
        counts=counts,
        smtp_configured=bool(_smtp_host()),
    )


@blueprint.get("/<int:email_id>")
@roles_required("admin")
def detail(email_id: int):
    email = db.session.get(OutboxEmail, email_id)
    if email is None:
        abort(404)
    return render_template(
        "notifications/outbox_email.html",
        email=email,
        statuses=STATUSES,
        smtp_configured=bool(_smtp_host()),
    )


def _smtp_host() -> str | None:
    from flask import current_app

    return current_app.config.get("SMTP_HOST")
