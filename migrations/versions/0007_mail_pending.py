"""e-mails of notifications are queued by the scheduler, not in the notifying transaction.

A notification carries `mail_pending` until the scheduler's pass writes its outbox row, so a
transition writes one row per recipient instead of two; the pass runs before delivery, so
e-mail leaves as soon as before.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(
            sa.Column("mail_pending", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_index(
        "ix_notifications_mail_pending",
        "notifications",
        ["id"],
        postgresql_where=sa.text("mail_pending"),
        sqlite_where=sa.text("mail_pending"),
    )


def downgrade():
    op.drop_index("ix_notifications_mail_pending", table_name="notifications")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("mail_pending")
