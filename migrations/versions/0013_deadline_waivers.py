"""Deadlines a coordinator waived or dated by hand (who and why), and each user's time zone.

The deadline status gains 'waived'. SQLite cannot alter a CHECK constraint in place, so the
`deadlines` table is rebuilt in batch mode (nothing references it); `users` only gains a
column, added and dropped in place: rebuilding it would trip the foreign keys pointing at it.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_OLD = "status IN ('open', 'met', 'superseded', 'cancelled')"
_NEW = "status IN ('open', 'met', 'superseded', 'cancelled', 'waived')"


def upgrade():
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decided_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("decision_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_deadlines_decided_by_id_users"), "users", ["decided_by_id"], ["id"]
        )
        batch_op.drop_constraint(op.f("ck_deadlines_deadline_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_deadlines_deadline_status"), _NEW)
    op.add_column(
        "users",
        sa.Column(
            "time_zone", sa.String(length=64), server_default="Europe/Brussels", nullable=False
        ),
    )


def downgrade():
    op.drop_column("users", "time_zone")
    # Waived deadlines have no status in the old schema; they were released, so "cancelled".
    op.execute("UPDATE deadlines SET status = 'cancelled' WHERE status = 'waived'")
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_deadlines_deadline_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_deadlines_deadline_status"), _OLD)
        batch_op.drop_constraint(op.f("fk_deadlines_decided_by_id_users"), type_="foreignkey")
        batch_op.drop_column("decision_reason")
        batch_op.drop_column("decided_by_id")
