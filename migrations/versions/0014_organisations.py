"""organisations as data, users belonging to one, and each project's management mode.

`organisations` (kind, seat country, covers_all) and `organisation_countries` (the beneficiary
countries each covers); `users.organisation_id`; `projects.management_mode` (direct by
default) and `projects.contracting_authority_id` (indirect management).

The upgrade keeps what coordinators saw: a coordinator sees only the countries its
organisation covers, and none without one, so every existing coordinator is attached to a new
"Commission headquarters (all countries)" organisation that covers them all. An administrator
then moves each to its Delegation.

Revision ID: 0014
Revises: 0013
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from twinflow.orm import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

HEADQUARTERS = "Commission headquarters (all countries)"


def upgrade():
    organisations = op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("covers_all", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('eu_delegation', 'commission_service', 'contracting_authority', "
            "'beneficiary_institution', 'member_state_institution', 'ncp')",
            name="ck_organisations_kind",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
        sa.UniqueConstraint("name", name="uq_organisations_name"),
    )
    op.create_table(
        "organisation_countries",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_organisation_countries_organisation_id_organisations",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", "country", name="pk_organisation_countries"),
    )
    op.create_index(
        "ix_organisation_countries_country", "organisation_countries", ["country"]
    )
    # Plain ADD COLUMN ... REFERENCES on both backends: batch mode would rebuild `users` and
    # `projects`, which the foreign keys pointing at them forbid on SQLite.
    _add_reference("users", "organisation_id")
    op.create_index("ix_users_organisation_id", "users", ["organisation_id"])
    op.add_column(
        "projects",
        sa.Column(
            "management_mode", sa.String(length=10), server_default="direct", nullable=False
        ),
    )
    _add_reference("projects", "contracting_authority_id")

    # Nothing disappears on upgrade: coordinators without an organisation keep every country.
    bind = op.get_bind()
    op.bulk_insert(
        organisations,
        [
            {
                "name": HEADQUARTERS,
                "kind": "commission_service",
                "country": None,
                "covers_all": True,
                "created_at": datetime.now(UTC),
            }
        ],
    )
    hq = bind.execute(
        sa.text("SELECT id FROM organisations WHERE name = :name"), {"name": HEADQUARTERS}
    ).scalar_one()
    bind.execute(
        sa.text(
            "UPDATE users SET organisation_id = :hq "
            "WHERE role = 'coordinator' AND organisation_id IS NULL"
        ),
        {"hq": hq},
    )


def _add_reference(table: str, column: str) -> None:
    name = f"fk_{table}_{column}_organisations"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} INTEGER "
            f"CONSTRAINT {name} REFERENCES organisations (id)"
        )
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(name, table, "organisations", [column], ["id"])


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(
            "fk_projects_contracting_authority_id_organisations", "projects", type_="foreignkey"
        )
        op.drop_constraint("fk_users_organisation_id_organisations", "users", type_="foreignkey")
    if op.get_bind().dialect.name == "sqlite":
        # A later rebuild of `projects` (0016) made its foreign key a table constraint, which a
        # plain DROP COLUMN refuses: rebuild it (env.py switches foreign keys off around it).
        with op.batch_alter_table("projects") as batch:
            batch.drop_column("contracting_authority_id")
            batch.drop_column("management_mode")
    else:
        op.drop_column("projects", "contracting_authority_id")
        op.drop_column("projects", "management_mode")
    # A plain DROP COLUMN (SQLite 3.35+) for `users`: never a batch rebuild of it.
    op.drop_index("ix_users_organisation_id", table_name="users")
    op.drop_column("users", "organisation_id")
    op.drop_index("ix_organisation_countries_country", table_name="organisation_countries")
    op.drop_table("organisation_countries")
    op.drop_table("organisations")
