"""The fiche as a document: its current text, its frozen revisions, comments on sections.

Existing projects get a fiche without revisions: its particulars are the project's own
(title, institution, sector, instrument, budget, months; read live from the project), and the
description they were created with becomes section 2, "Context and rationale". Projects
already past review at upgrade have no approved revision to circulate: none was recorded.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

import twinflow.orm

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "fiches",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", twinflow.orm.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_fiches_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_fiches_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_fiches")),
    )
    op.create_table(
        "fiche_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("particulars", sa.JSON(), nullable=False),
        sa.Column("submitted_at", twinflow.orm.UTCDateTime(timezone=True), nullable=False),
        sa.Column("returned_at", twinflow.orm.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_fiche_revisions_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fiche_revisions")),
        sa.UniqueConstraint(
            "project_id", "number", name=op.f("uq_fiche_revisions_project_id_number")
        ),
    )
    op.create_index(
        op.f("ix_fiche_revisions_project_id"), "fiche_revisions", ["project_id"], unique=False
    )
    op.create_table(
        "fiche_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=60), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", twinflow.orm.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_fiche_comments_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["fiche_revisions.id"],
            name=op.f("fk_fiche_comments_revision_id_fiche_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fiche_comments")),
    )
    op.create_index(
        op.f("ix_fiche_comments_revision_id"), "fiche_comments", ["revision_id"], unique=False
    )
    # Every existing project gets its fiche, without revisions (see the docstring); copied in
    # SQL so the dates keep their stored form on both backends.
    if op.get_bind().dialect.name == "postgresql":
        sections = (
            "CASE WHEN description <> '' THEN json_build_object('context', description) "
            "ELSE '{}'::json END"
        )
    else:
        sections = "CASE WHEN description <> '' THEN json_object('context', description) ELSE '{}' END"
    op.execute(
        "INSERT INTO fiches (project_id, sections, version, updated_at) "
        f"SELECT id, {sections}, 1, created_at FROM projects"
    )


def downgrade():
    op.drop_index(op.f("ix_fiche_comments_revision_id"), table_name="fiche_comments")
    op.drop_table("fiche_comments")
    op.drop_index(op.f("ix_fiche_revisions_project_id"), table_name="fiche_revisions")
    op.drop_table("fiche_revisions")
    op.drop_table("fiches")
