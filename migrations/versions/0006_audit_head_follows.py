"""the chain head follows each appended audit event by a trigger.

An append was three statements (move the head on, insert the event, store the new head hash);
now it is one INSERT ... SELECT from the head, and this trigger moves the head on as the event
lands, so no append can leave the head behind its last event.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SQLITE = [
    """CREATE TRIGGER audit_head_follows AFTER INSERT ON audit_events
       BEGIN UPDATE audit_head SET seq = NEW.seq, last_hash = NEW.hash WHERE id = 1 AND seq < NEW.seq; END""",
]
POSTGRES = [
    """CREATE FUNCTION twinflow_audit_head_follows() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE audit_head SET seq = NEW.seq, last_hash = NEW.hash WHERE id = 1 AND seq < NEW.seq;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER audit_head_follows AFTER INSERT ON audit_events
       FOR EACH ROW EXECUTE FUNCTION twinflow_audit_head_follows()""",
]


def upgrade():
    dialect = op.get_bind().dialect.name
    for statement in SQLITE if dialect == "sqlite" else POSTGRES:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_head_follows")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_head_follows ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS twinflow_audit_head_follows()")
