"""The in-app notifications inbox: list, mark one or all read."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from twinflow.auth.forms import ButtonForm
from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.i18n import ngettext
from twinflow.notifications.inbox import mark_read
from twinflow.notifications.models import Notification
from twinflow.notifications.permissions import readable_notifications_clause
from twinflow.services import get_engine
from twinflow.web.helpers import Page, int_arg, safe_next

blueprint = Blueprint("web_notifications", __name__, template_folder="templates")
PER_PAGE = 30


@blueprint.get("/notifications")
@login_required
def inbox():
    only_unread = request.args.get("show") == "unread"
    query = select(Notification).where(readable_notifications_clause(current_user))
    if only_unread:
        query = query.where(Notification.read_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = int_arg("page", 1, high=max(1, -(-total // PER_PAGE)))
    rows = db.session.scalars(
        query.order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return render_template(
        "notifications/inbox.html",
        page=Page(list(rows), page, PER_PAGE, total),
        only_unread=only_unread,
        button=ButtonForm(),
    )


@blueprint.post("/notifications/<int:notification_id>/read")
@login_required
def read_one(notification_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400, _("The form expired; nothing was changed."))
    mark_read(db.session, current_user, [notification_id], now=get_engine().clock.now())
    return redirect(safe_next(request.args.get("next"), url_for("web_notifications.inbox")))


@blueprint.post("/notifications/read-all")
@login_required
def read_all():
    if not ButtonForm().validate_on_submit():
        abort(400, _("The form expired; nothing was changed."))
    count = mark_read(db.session, current_user, now=get_engine().clock.now())
    flash(
        ngettext(
            "%(num)d notification marked as read.", "%(num)d notifications marked as read.", count
        ),
        "success",
    )
    return redirect(url_for("web_notifications.inbox"))
