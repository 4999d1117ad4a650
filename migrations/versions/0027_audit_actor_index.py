"""An index on audit_events (actor_email, seq): the audit log's actor filter resolves its text to
the distinct addresses it matches (a walk along this index, one probe per address) and reads
the events as `actor_email IN (...)`: the capped count is at most 10,001 index entries and a
page is read newest first along the index, whatever the trail's length (at 2M events the
trigram index's bitmap, or a scan of the trail, read every match).

Revision ID: 0027
Revises: 0026
"""

from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade():
    # Not in a batch: on SQLite a batch may rebuild the table, and the trail's triggers with it.
    op.create_index("ix_audit_events_actor_email_seq", "audit_events", ["actor_email", "seq"])


def downgrade():
    op.drop_index("ix_audit_events_actor_email_seq", table_name="audit_events")
