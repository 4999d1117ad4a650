"""calls through the National Contact Points: an NCP's forwarding of a call round to the
institutions of its Member State, with an optional internal deadline before the call's.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

import twinflow.orm

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "call_forwardings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("call_round", sa.Integer(), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("internal_deadline", twinflow.orm.UTCDateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("forwarded_by_id", sa.Integer(), nullable=False),
        sa.Column("forwarded_at", twinflow.orm.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["forwarded_by_id"], ["users.id"], name=op.f("fk_call_forwardings_forwarded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_call_forwardings_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_forwardings")),
        sa.UniqueConstraint(
            "project_id",
            "call_round",
            "member_state",
            name=op.f("uq_call_forwardings_project_id_call_round_member_state"),
        ),
    )
    with op.batch_alter_table("call_forwardings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_call_forwardings_project_id"), ["project_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("call_forwardings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_forwardings_project_id"))
    op.drop_table("call_forwardings")
