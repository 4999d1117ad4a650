"""the named people of a project: a team member linked to a user account, in the role from
`starts_on` to `ends_on` (history kept when a side letter or an addendum replaces them), with
an optional recorded deputy who may sign in their place.

SQLite adds the columns in place (ALTER TABLE ... ADD COLUMN with REFERENCES); its downgrade
rebuilds the table, since SQLite refuses to drop a column a foreign key uses.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

REFERENCES = (
    ("user_id", "fk_team_members_user_id_users"),
    ("deputy_user_id", "fk_team_members_deputy_user_id_users"),
)


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column, name in REFERENCES:
        if sqlite:
            op.execute(
                f"ALTER TABLE team_members ADD COLUMN {column} INTEGER "
                f"CONSTRAINT {name} REFERENCES users (id)"
            )
        else:
            op.add_column("team_members", sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(name, "team_members", "users", [column], ["id"])
    op.create_index("ix_team_members_user_id", "team_members", ["user_id"])
    op.add_column("team_members", sa.Column("starts_on", sa.Date(), nullable=True))
    op.add_column("team_members", sa.Column("ends_on", sa.Date(), nullable=True))
    op.add_column("team_members", sa.Column("deputy_name", sa.String(length=200), nullable=True))
    # Existing members are linked to the account whose e-mail they carry, as the named-person
    # sign-off has matched them so far.
    op.execute(
        "UPDATE team_members SET user_id = (SELECT min(users.id) FROM users "
        "WHERE lower(users.email) = lower(team_members.email)) WHERE email IS NOT NULL"
    )


def downgrade():
    op.drop_index("ix_team_members_user_id", table_name="team_members")
    with op.batch_alter_table("team_members") as batch:
        if op.get_bind().dialect.name != "sqlite":
            for _, name in REFERENCES:
                batch.drop_constraint(name, type_="foreignkey")
        for column in ("deputy_name", "ends_on", "starts_on", "deputy_user_id", "user_id"):
            batch.drop_column(column)
