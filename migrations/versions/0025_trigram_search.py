"""Trigram indexes for the audit log's substring filters (PostgreSQL only; nothing on SQLite):
audit_events.actor_email (the actor filter, ILIKE '%text%', which no b-tree serves: a text
that matches no one read the whole trail, 0.98 s at 2M events) and projects.reference (the
project filter: the references containing the text, read over every project).

The index needs the pg_trgm extension. It is a trusted extension (PostgreSQL 13+): the
database's owner, or any role with CREATE on the database, may create it; otherwise a
superuser runs `CREATE EXTENSION pg_trgm;` in the app's database before this upgrade.
Building the index reads the whole trail once and holds off appends meanwhile (run the upgrade
with the app stopped, as every upgrade here).

Revision ID: 0025
Revises: 0024
"""

from alembic import op
from sqlalchemy import text

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_audit_events_actor_email_trgm": ("audit_events", "actor_email"),
    "ix_projects_reference_trgm": ("projects", "reference"),
}


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    installed = bind.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))
    if not installed:
        allowed = bind.scalar(
            text(
                "SELECT has_database_privilege(current_database(), 'CREATE') "
                "OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
            )
        )
        if not allowed:
            raise RuntimeError(
                "migration 0025 needs the pg_trgm extension and this role may not create it: "
                "ask a superuser to run CREATE EXTENSION pg_trgm; in this database, then "
                "upgrade again"
            )
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {table} USING gin ({column} gin_trgm_ops)")


def downgrade():
    # The extension stays: other objects of the database may use it by now.
    if op.get_bind().dialect.name == "postgresql":
        for name in INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
