"""the audit chain is sealed with the audit key from here on; the database takes only the head's
successor.

`audit_head.keyed_from` records the first event sealed with the audit key (HMAC): the next one
to be appended. Events before it keep their plain SHA-256 hashes and keep verifying. The head
row may never change it.

New triggers on both backends: an insert into audit_events must be the head's successor (seq
one more than the head's, prev_hash the head's hash) and may collide with no stored event, so
SQLite's REPLACE / INSERT OR REPLACE (which deletes the colliding row without firing any
DELETE trigger) can remove nothing; the head moves only forward, and only onto a stored
event; its one row cannot be inserted again (REPLACE INTO audit_head would wind it back).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
SUCCESSOR = "audit_events only takes the successor of the chain head"
HEAD = "audit_head only moves forward, onto a stored event"
HEAD_ONCE = "audit_head only moves forward: its one row is made once"

SQLITE = [
    f"""CREATE TRIGGER audit_events_successor_only BEFORE INSERT ON audit_events
       WHEN NEW.seq IS NOT (SELECT seq + 1 FROM audit_head WHERE id = 1)
         OR NEW.prev_hash IS NOT (SELECT last_hash FROM audit_head WHERE id = 1)
         OR EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id OR seq = NEW.seq
                    OR prev_hash = NEW.prev_hash OR hash = NEW.hash)
       BEGIN SELECT RAISE(ABORT, '{SUCCESSOR}'); END""",
    "DROP TRIGGER audit_head_forward_only",
    f"""CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
       WHEN NEW.id != OLD.id OR NEW.keyed_from != OLD.keyed_from OR NEW.seq <= OLD.seq
         OR NOT EXISTS (SELECT 1 FROM audit_events
                        WHERE seq = NEW.seq AND hash = NEW.last_hash)
       BEGIN SELECT RAISE(ABORT, '{HEAD}'); END""",
    f"""CREATE TRIGGER audit_head_made_once BEFORE INSERT ON audit_head
       WHEN EXISTS (SELECT 1 FROM audit_head) OR EXISTS (SELECT 1 FROM audit_events)
         OR NEW.id != 1 OR NEW.seq != 0 OR NEW.last_hash != '{GENESIS}' OR NEW.keyed_from != 1
       BEGIN SELECT RAISE(ABORT, '{HEAD_ONCE}'); END""",
]
SQLITE_BEFORE = [
    "DROP TRIGGER IF EXISTS audit_events_successor_only",
    "DROP TRIGGER IF EXISTS audit_head_made_once",
    "DROP TRIGGER IF EXISTS audit_head_forward_only",
]
SQLITE_OLD_HEAD = """CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
       WHEN NEW.seq < OLD.seq OR NEW.id != OLD.id
       BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END"""

# On PostgreSQL the trigger that moves the head on (0006) checks the successor as it moves
# it: one UPDATE that must find the head one event behind, else the insert is undone. An
# AFTER trigger sees no REPLACE to fear (PostgreSQL has none; ON CONFLICT DO UPDATE meets
# the append-only UPDATE trigger), and an append fires no more triggers than before.
POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION twinflow_audit_head_follows() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE audit_head SET seq = NEW.seq, last_hash = NEW.hash
          WHERE id = 1 AND seq = NEW.seq - 1 AND last_hash = NEW.prev_hash;
         IF NOT FOUND THEN
           RAISE EXCEPTION '{SUCCESSOR} (event %)', NEW.seq;
         END IF;
         RETURN NULL;
       END $$""",
    f"""CREATE OR REPLACE FUNCTION twinflow_audit_head_forward_only() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP <> 'UPDATE' OR NEW.id <> OLD.id OR NEW.keyed_from <> OLD.keyed_from
            OR NEW.seq <= OLD.seq OR NOT EXISTS (
              SELECT 1 FROM audit_events WHERE seq = NEW.seq AND hash = NEW.last_hash) THEN
           RAISE EXCEPTION '{HEAD}';
         END IF;
         RETURN NEW;
       END $$""",
    f"""CREATE FUNCTION twinflow_audit_head_made_once() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM audit_head) OR EXISTS (SELECT 1 FROM audit_events)
            OR NEW.id <> 1 OR NEW.seq <> 0 OR NEW.last_hash <> '{GENESIS}'
            OR NEW.keyed_from <> 1 THEN
           RAISE EXCEPTION '{HEAD_ONCE}';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER audit_head_made_once BEFORE INSERT ON audit_head
       FOR EACH ROW EXECUTE FUNCTION twinflow_audit_head_made_once()""",
]
POSTGRES_BEFORE = [
    """CREATE OR REPLACE FUNCTION twinflow_audit_head_follows() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE audit_head SET seq = NEW.seq, last_hash = NEW.hash WHERE id = 1 AND seq < NEW.seq;
         RETURN NULL;
       END $$""",
    "DROP TRIGGER IF EXISTS audit_head_made_once ON audit_head",
    "DROP FUNCTION IF EXISTS twinflow_audit_head_made_once()",
    """CREATE OR REPLACE FUNCTION twinflow_audit_head_forward_only() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP <> 'UPDATE' OR NEW.seq < OLD.seq OR NEW.id <> OLD.id THEN
           RAISE EXCEPTION 'audit_head only moves forward';
         END IF;
         RETURN NEW;
       END $$""",
]


def upgrade():
    # Not batch mode: rebuilding the table on SQLite would drop its triggers.
    op.add_column(
        "audit_head",
        sa.Column("keyed_from", sa.Integer(), server_default=sa.text("1"), nullable=False),
    )
    # Keying begins with the next event; the old triggers allow this (seq does not move).
    op.execute("UPDATE audit_head SET keyed_from = seq + 1 WHERE id = 1")
    for statement in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRES:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_BEFORE:
            op.execute(statement)
        op.execute("ALTER TABLE audit_head DROP COLUMN keyed_from")
        op.execute(SQLITE_OLD_HEAD)
    else:
        for statement in POSTGRES_BEFORE:
            op.execute(statement)
        op.drop_column("audit_head", "keyed_from")
