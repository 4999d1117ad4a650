"""selection records: each proposal's eligibility, attendance, score and rank; the selection
meeting (or written evaluation) of each call round with its minutes and reserve Member State.

New tables only; nothing existing changes.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

import twinflow.orm

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "selection_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("call_round", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("is_eligible", sa.Boolean(), nullable=False),
        sa.Column("eligibility_reason", sa.Text(), nullable=True),
        sa.Column("leader_present", sa.Boolean(), nullable=True),
        sa.Column("rta_present", sa.Boolean(), nullable=True),
        sa.Column("score", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", twinflow.orm.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "is_eligible OR eligibility_reason IS NOT NULL",
            name=op.f("ck_selection_assessments_ineligible_needs_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_selection_assessments_decided_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_selection_assessments_project_id_projects"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_selection_assessments_proposal_id_proposals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selection_assessments")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_selection_assessments_proposal_id")),
    )
    op.create_index(
        op.f("ix_selection_assessments_project_id"),
        "selection_assessments",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "selection_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("call_round", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("minutes_document_id", sa.Integer(), nullable=False),
        sa.Column("reserve_proposal_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", twinflow.orm.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", twinflow.orm.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reserve_taken_up_at", twinflow.orm.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('meeting', 'written')", name=op.f("ck_selection_records_kind")),
        sa.ForeignKeyConstraint(
            ["minutes_document_id"],
            ["documents.id"],
            name=op.f("fk_selection_records_minutes_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_selection_records_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_selection_records_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["reserve_proposal_id"],
            ["proposals.id"],
            name=op.f("fk_selection_records_reserve_proposal_id_proposals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selection_records")),
        sa.UniqueConstraint(
            "project_id", "call_round", name=op.f("uq_selection_records_project_id_call_round")
        ),
    )
    op.create_index(
        op.f("ix_selection_records_project_id"), "selection_records", ["project_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_selection_records_project_id"), table_name="selection_records")
    op.drop_table("selection_records")
    op.drop_index(op.f("ix_selection_assessments_project_id"), table_name="selection_assessments")
    op.drop_table("selection_assessments")
