"""team_members.withdrawn_with: the lead Member State whose withdrawal (a re-circulation, the
reserve taken up) ended this member; such a member is not shown to another Member State.

Revision ID: 0023
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("team_members", sa.Column("withdrawn_with", sa.String(length=2), nullable=True))


def downgrade():
    op.drop_column("team_members", "withdrawn_with")
