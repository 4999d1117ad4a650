"""The caller's own notifications: newest first, paged, unread only on request; marking read."""

from marshmallow import RAISE, Schema, fields, validate
from sqlalchemy import select

from twinflow.api.blueprint import Blueprint
from twinflow.api.fields import MAX_ID
from twinflow.api.list_args import PageArgsSchema
from twinflow.api.pagination import PAGE_HEADERS, paginate
from twinflow.api.security import authenticated, current_user
from twinflow.extensions import db
from twinflow.notifications.inbox import mark_read
from twinflow.notifications.models import Notification
from twinflow.notifications.permissions import readable_notifications_clause
from twinflow.services import get_engine

blp = Blueprint(
    "notifications_api", __name__, url_prefix="/api/v1", description="Your notifications"
)


class NotificationListArgsSchema(PageArgsSchema):
    unread = fields.Boolean(load_default=False, metadata={"description": "only the unread"})


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    project_id = fields.Integer(allow_none=True)
    subject = fields.String()
    body = fields.String()
    link = fields.String(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class ReadRequestSchema(Schema):
    ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID)),
        validate=validate.Length(min=1, max=500),
        metadata={"description": "the notifications to mark read; omit to mark all of yours"},
    )


class ReadResultSchema(Schema):
    marked = fields.Integer(metadata={"description": "how many were unread and now are read"})


@blp.route("/notifications", methods=["GET"])
@authenticated
@blp.arguments(NotificationListArgsSchema, location="query", unknown=RAISE)
@blp.response(200, NotificationSchema(many=True), headers=PAGE_HEADERS)
def list_notifications(args):
    """Your notifications, newest first (`unread=true`: only those not read yet)."""
    user = current_user()
    query = select(Notification).where(readable_notifications_clause(user))
    if args["unread"]:
        query = query.where(Notification.read_at.is_(None))
    query = query.order_by(Notification.created_at.desc(), Notification.id.desc())
    items, headers = paginate(query, args["page"], args["per_page"])
    return items, 200, headers


@blp.route("/notifications/read", methods=["POST"])
@authenticated
@blp.arguments(ReadRequestSchema)
@blp.response(200, ReadResultSchema)
def read(args):
    """Mark notifications read: those named in `ids` (another user's ids change nothing), or
    all of yours when `ids` is omitted."""
    user = current_user()
    marked = mark_read(db.session, user, args.get("ids"), now=get_engine().clock.now())
    return {"marked": marked}
