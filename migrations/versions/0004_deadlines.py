"""deadlines, reminders and notifications: alert bookkeeping, calendar tokens, daily digests,
the inbox index and the outbox status check.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

import twinflow.orm

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", twinflow.orm.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", twinflow.orm.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_calendar_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_tokens_token_hash")),
    )
    with op.batch_alter_table("calendar_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("period_start", twinflow.orm.UTCDateTime(timezone=True), nullable=False),
        sa.Column("period_end", twinflow.orm.UTCDateTime(timezone=True), nullable=False),
        sa.Column("notification_count", sa.Integer(), nullable=False),
        sa.Column("outbox_email_id", sa.Integer(), nullable=True),
        sa.Column("created_at", twinflow.orm.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["outbox_email_id"],
            ["outbox_emails.id"],
            name=op.f("fk_digests_outbox_email_id_outbox_emails"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_digests_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digests")),
        sa.UniqueConstraint("user_id", "period_end", name=op.f("uq_digests_user_id_period_end")),
    )
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_alert", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("last_alert_at", twinflow.orm.UTCDateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notifications_inbox", ["user_id", "read_at", "created_at"], unique=False
        )

    with op.batch_alter_table("outbox_emails", schema=None) as batch_op:
        batch_op.create_check_constraint(
            "outbox_status", "status IN ('queued', 'sending', 'sent', 'failed')"
        )


def downgrade():
    with op.batch_alter_table("outbox_emails", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_outbox_emails_outbox_status"), type_="check")

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_inbox")

    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_column("last_alert_at")
        batch_op.drop_column("last_alert")

    op.drop_table("digests")
    with op.batch_alter_table("calendar_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_tokens_user_id"))

    op.drop_table("calendar_tokens")
