"""An index on projects (state_changed_at, id): the project lists' default order (newest change
first, the id breaking ties), so a page of 50, early or late, is read along the index instead of
sorting every visible project (at 10,000 projects OFFSET 975: 15 ms -> 0.27 ms on PostgreSQL).
It serves the web list, the API list and the dashboard's action candidates.

Revision ID: 0026
Revises: 0025
"""

from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("projects") as batch_op:
        batch_op.create_index("ix_projects_state_changed_at_id", ["state_changed_at", "id"])


def downgrade():
    with op.batch_alter_table("projects") as batch_op:
        batch_op.drop_index("ix_projects_state_changed_at_id")
