"""Production on several machines: documents stored in the database, scheduler heartbeats.

document_chunks holds documents' bytes when TWINFLOW_DOCUMENT_STORE=database; scheduler_runs
what each scheduler process last did, for /metrics.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

import twinflow.orm

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "document_chunks",
        sa.Column("storage_key", sa.String(255), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("storage_key", "seq", name=op.f("pk_document_chunks")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Documents are mostly compressed already (PDF, Office files): don't compress again.
        op.execute("ALTER TABLE document_chunks ALTER COLUMN data SET STORAGE EXTERNAL")
    op.create_table(
        "scheduler_runs",
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("started_at", twinflow.orm.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_pass_at", twinflow.orm.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_duration_seconds", sa.Float(), nullable=False),
        sa.Column("passes", sa.Integer(), nullable=False),
        sa.Column("failed_passes", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("deadline_alerts", sa.Integer(), nullable=False),
        sa.Column("notifications", sa.Integer(), nullable=False),
        sa.Column("digests", sa.Integer(), nullable=False),
        sa.Column("mails_queued", sa.Integer(), nullable=False),
        sa.Column("mails_sent", sa.Integer(), nullable=False),
        sa.Column("mails_failed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_runs")),
    )


def downgrade():
    op.drop_table("scheduler_runs")
    op.drop_table("document_chunks")
