"""real portfolios: given references kept verbatim and searchable, partial dates, imported
records with what their sources leave empty, historical deadlines.

projects: `reference` widened (historic forms are longer) and `reference_key` beside it (the
reference in capitals without spacing or punctuation, indexed, for search); `start_on`/`end_on`
with their precision (year, quarter, month, day); `total_months` beside
`implementation_months`; `status_note`, `source_url`, `junior_member_states`, `imported_at`;
what sources leave empty becomes nullable (institution, sector, instrument, programme year,
budget, months). deadlines: status `historical` (fell before the project was imported: never
reminded, never escalated).

SQLite rebuilds both tables (it cannot alter a column or a check in place); its foreign keys
are deferred to the commit so dropping the old `projects` does not trip the tables that point
at it (the rows are all back, same ids, by then).

Revision ID: 0016
Revises: 0015
"""

import re

import sqlalchemy as sa
from alembic import op

import twinflow.orm

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('open', 'met', 'superseded', 'cancelled', 'waived')"
NEW_STATUSES = "status IN ('open', 'met', 'superseded', 'cancelled', 'waived', 'historical')"
NULLABLE = [
    ("beneficiary_institution", sa.String(length=200)),
    ("programme_year", sa.Integer()),
    ("budget_eur", sa.Numeric(precision=14, scale=2)),
    ("implementation_months", sa.Integer()),
]


def _key(reference: str) -> str:
    # Frozen copy of twinflow.projects.references.reference_key at this revision.
    return re.sub(r"[\W_]+", "", reference).upper()


def _defer_foreign_keys() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA defer_foreign_keys = ON")


def upgrade():
    _defer_foreign_keys()
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.alter_column(
            "reference", existing_type=sa.String(length=40), type_=sa.String(length=60)
        )
        batch_op.alter_column(
            "sector", existing_type=sa.String(length=2), type_=sa.String(length=10), nullable=True
        )
        batch_op.alter_column(
            "instrument",
            existing_type=sa.String(length=10),
            type_=sa.String(length=20),
            nullable=True,
        )
        for name, type_ in NULLABLE:
            batch_op.alter_column(name, existing_type=type_, nullable=True)
        batch_op.add_column(sa.Column("reference_key", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("total_months", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("start_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("start_precision", sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column("end_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("end_precision", sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column("status_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("source_url", sa.String(length=500), nullable=True))
        batch_op.add_column(
            sa.Column("junior_member_states", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("imported_at", twinflow.orm.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_check_constraint(
            "date_precisions",
            "(start_precision IS NULL OR start_precision IN ('year', 'quarter', 'month', 'day'))"
            " AND (end_precision IS NULL OR end_precision IN ('year', 'quarter', 'month', 'day'))",
        )
    projects = sa.table(
        "projects",
        sa.column("id", sa.Integer),
        sa.column("reference", sa.String),
        sa.column("reference_key", sa.String),
    )
    bind = op.get_bind()
    for pid, reference in bind.execute(sa.select(projects.c.id, projects.c.reference)).all():
        bind.execute(
            projects.update().where(projects.c.id == pid).values(reference_key=_key(reference))
        )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.alter_column("reference_key", existing_type=sa.String(length=60), nullable=False)
        batch_op.create_index(batch_op.f("ix_projects_reference_key"), ["reference_key"])
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_deadlines_deadline_status"), type_="check")
        batch_op.create_check_constraint("deadline_status", NEW_STATUSES)


def downgrade():
    _defer_foreign_keys()
    op.execute("UPDATE deadlines SET status = 'cancelled' WHERE status = 'historical'")
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_deadlines_deadline_status"), type_="check")
        batch_op.create_check_constraint("deadline_status", OLD_STATUSES)
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_reference_key"))
        batch_op.drop_constraint(op.f("ck_projects_date_precisions"), type_="check")
        for name in (
            "imported_at",
            "junior_member_states",
            "source_url",
            "status_note",
            "end_precision",
            "end_on",
            "start_precision",
            "start_on",
            "total_months",
            "reference_key",
        ):
            batch_op.drop_column(name)
        # Imported records that left these empty cannot go back to a schema requiring them.
        for name, type_ in NULLABLE:
            batch_op.alter_column(name, existing_type=type_, nullable=False)
        batch_op.alter_column(
            "instrument",
            existing_type=sa.String(length=20),
            type_=sa.String(length=10),
            nullable=False,
        )
        batch_op.alter_column(
            "sector",
            existing_type=sa.String(length=10),
            type_=sa.String(length=2),
            nullable=False,
        )
        batch_op.alter_column(
            "reference", existing_type=sa.String(length=60), type_=sa.String(length=40)
        )
