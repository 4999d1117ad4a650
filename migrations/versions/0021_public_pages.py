"""public project pages: priority area, subsector and topic on projects; the image gallery.

projects: `priority_area`, `subsector`, `topic` (nullable: set by a coordinator or an
administrator through the corrections path). project_images: each image with its bytes and
thumbnail, and whether it is public.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

import twinflow.orm

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    # Nullable columns without constraints: SQLite adds them in place, no table rebuild.
    op.add_column("projects", sa.Column("priority_area", sa.String(length=40), nullable=True))
    op.add_column("projects", sa.Column("subsector", sa.String(length=60), nullable=True))
    op.add_column("projects", sa.Column("topic", sa.String(length=300), nullable=True))
    op.create_table(
        "project_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("caption", sa.String(length=300), nullable=False),
        sa.Column("content_type", sa.String(length=20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=False),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", twinflow.orm.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "content_type IN ('image/jpeg', 'image/png', 'image/webp')",
            name=op.f("ck_project_images_image_type"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_images_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_project_images_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_images")),
    )
    op.create_index(
        op.f("ix_project_images_project_id"), "project_images", ["project_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_project_images_project_id"), table_name="project_images")
    op.drop_table("project_images")
    # SQLite drops columns by rebuilding the table (batch mode), with the foreign keys that
    # point at `projects` checked at the commit; PostgreSQL drops them in place.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA defer_foreign_keys = ON")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("topic")
        batch_op.drop_column("subsector")
        batch_op.drop_column("priority_area")
