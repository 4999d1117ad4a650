"""Sessions that can be ended, and the sign-in throttle's counters.

`session_generation` on users and API tokens: raising the user's ends every session cookie,
remember-me cookie and token made before. `rate_limit_counters` holds the throttle's
fixed-window counters when no Redis or Memcached store is configured, so the limits hold
across workers and machines sharing the database.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "rate_limit_counters",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_rate_limit_counters"),
    )
    op.create_index(
        "ix_rate_limit_counters_expires_at", "rate_limit_counters", ["expires_at"]
    )


def downgrade():
    op.drop_index("ix_rate_limit_counters_expires_at", table_name="rate_limit_counters")
    op.drop_table("rate_limit_counters")
    # A plain DROP COLUMN (SQLite 3.35+): batch mode would rebuild `users`, which the
    # foreign keys pointing at it forbid.
    op.drop_column("api_tokens", "session_generation")
    op.drop_column("users", "session_generation")
