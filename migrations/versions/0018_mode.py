"""holds and review missions: a project on hold remembers the state it left and since when
(`resume` goes back there and moves its deadlines by the hold's length); the Twinning Review
Mission after closure is a record with its own table.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

import twinflow.orm

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

WHEN = twinflow.orm.UTCDateTime(timezone=True)


def upgrade():
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("held_from", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("held_since", WHEN, nullable=True))
    # A project suspended before this revision was suspended from implementation (the only
    # state that could be suspended then), since it entered that state.
    op.execute(
        "UPDATE projects SET held_from = 'implementation', held_since = state_changed_at "
        "WHERE state = 'suspended'"
    )
    op.create_table(
        "review_missions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("window_opens", WHEN, nullable=True),
        sa.Column("window_closes", WHEN, nullable=True),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("workflow_version", sa.String(length=16), nullable=False),
        sa.Column("signing_round", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("submitted_at", WHEN, nullable=True),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_review_missions_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_review_missions_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_review_missions_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_missions")),
    )
    op.create_index(
        op.f("ix_review_missions_project_id"), "review_missions", ["project_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_review_missions_project_id"), table_name="review_missions")
    op.drop_table("review_missions")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("held_since")
        batch_op.drop_column("held_from")
