"""users.language: the language the pages speak to a user (none = the browser's preference).

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("language", sa.String(length=5), nullable=True))


def downgrade():
    # A plain column without index or constraint: both backends drop it in place (a batch
    # rebuild of `users` would re-create its foreign keys in a form 0014's downgrade trips on).
    op.drop_column("users", "language")
