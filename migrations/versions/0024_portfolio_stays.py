"""The portfolio's kept stays (issue 18): portfolio_stays (each ended stay of a project in a
state, read once from the audit trail), portfolio_open_stays (the stay each project is in),
portfolio_watermark (the last audit event folded in; one row, locked while folding) and
portfolio_kept_figures (the time-in-stage figures last computed for a reader's scope).

Nothing is copied here: the watermark starts at 0 and the first fold reads the trail once
(`twinflow portfolio fold` after the upgrade, or the first view of the portfolio, which
commits every 20,000 events).

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

import twinflow.orm

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "portfolio_stays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=60), nullable=False),
        sa.Column("entered_at", twinflow.orm.UTCDateTime(timezone=True), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("micros", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_portfolio_stays_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_stays")),
    )
    op.create_index(
        op.f("ix_portfolio_stays_project_id"), "portfolio_stays", ["project_id"], unique=False
    )
    op.create_table(
        "portfolio_open_stays",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=60), nullable=False),
        sa.Column("entered_at", twinflow.orm.UTCDateTime(timezone=True), nullable=False),
        sa.Column("imported", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_portfolio_open_stays_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_portfolio_open_stays")),
    )
    watermark = op.create_table(
        "portfolio_watermark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("stays_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_watermark")),
    )
    op.bulk_insert(watermark, [{"id": 1, "seq": 0, "stays_seq": 0}])
    op.create_table(
        "portfolio_kept_figures",
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("inputs", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_portfolio_kept_figures")),
    )


def downgrade():
    op.drop_table("portfolio_kept_figures")
    op.drop_table("portfolio_watermark")
    op.drop_table("portfolio_open_stays")
    op.drop_index(op.f("ix_portfolio_stays_project_id"), table_name="portfolio_stays")
    op.drop_table("portfolio_stays")
