"""one sign-off model: project approvals and record co-signatures become `signoffs` with their
`signoff_decisions`; stored definitions say their kind.

approval_requests/approval_decisions are carried over with their ids (the API's
/approvals/<id> keeps answering); record_signatures are grouped by (record type, record,
signing round, trigger) into sign-offs: approved when every party signed and the record has
left the state it was signed in, pending while the record still waits in that round, withdrawn
otherwise. The old tables go. PostgreSQL's sequences are moved past the carried ids.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

import twinflow.orm

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

WHEN = twinflow.orm.UTCDateTime(timezone=True)
# The parties of the co-signed steps as the record workflows declared them at 0011.
SIGNING_PARTIES = {
    "report": ["beneficiary", "lead_member_state"],
    "side_letter": ["beneficiary", "lead_member_state"],
    "addendum": ["coordinator", "lead_member_state"],
}
SIGNED_FROM = ("draft", "returned")

signoffs = sa.table(
    "signoffs",
    *(sa.column(c) for c in ("id", "project_id", "subject_type", "subject_id", "trigger")),
    *(sa.column(c) for c in ("from_state", "round", "needs", "status", "comment")),
    sa.column("parties", sa.JSON),
    sa.column("data", sa.JSON),
    sa.column("requested_by_id"),
    sa.column("created_at", WHEN),
    sa.column("closed_at", WHEN),
)
decisions = sa.table(
    "signoff_decisions",
    *(sa.column(c) for c in ("id", "signoff_id", "party", "user_id", "decision", "comment")),
    sa.column("decided_at", WHEN),
)
requests_old = sa.table(
    "approval_requests",
    *(sa.column(c) for c in ("id", "project_id", "trigger", "from_state", "status", "comment")),
    sa.column("parties", sa.JSON),
    sa.column("data", sa.JSON),
    sa.column("requested_by_id"),
    sa.column("created_at", WHEN),
    sa.column("closed_at", WHEN),
)
decisions_old = sa.table(
    "approval_decisions",
    *(sa.column(c) for c in ("id", "request_id", "party", "user_id", "decision", "comment")),
    sa.column("decided_at", WHEN),
)
signatures_old = sa.table(
    "record_signatures",
    *(sa.column(c) for c in ("id", "record_type", "record_id", "signing_round", "trigger")),
    *(sa.column(c) for c in ("party", "user_id")),
    sa.column("signed_at", WHEN),
)


def _create_signoff_tables():
    op.create_table(
        "signoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=30), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=60), nullable=False),
        sa.Column("from_state", sa.String(length=60), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("needs", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("closed_at", WHEN, nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'withdrawn')",
            name=op.f("ck_signoffs_signoff_status"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_signoffs_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_signoffs_requested_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signoffs")),
    )
    with op.batch_alter_table("signoffs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signoffs_project_id"), ["project_id"])
        batch_op.create_index(batch_op.f("ix_signoffs_status"), ["status"])
        batch_op.create_index(
            "ix_signoffs_subject", ["subject_type", "subject_id", "status"], unique=False
        )
    op.create_table(
        "signoff_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signoff_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("decided_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "decision IN ('approve', 'reject')", name=op.f("ck_signoff_decisions_decision")
        ),
        sa.ForeignKeyConstraint(
            ["signoff_id"],
            ["signoffs.id"],
            name=op.f("fk_signoff_decisions_signoff_id_signoffs"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_signoff_decisions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signoff_decisions")),
        sa.UniqueConstraint(
            "signoff_id", "party", name=op.f("uq_signoff_decisions_signoff_id_party")
        ),
        sa.UniqueConstraint(
            "signoff_id", "user_id", name=op.f("uq_signoff_decisions_signoff_id_user_id")
        ),
    )
    with op.batch_alter_table("signoff_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signoff_decisions_signoff_id"), ["signoff_id"])


def _records(bind) -> dict[tuple[str, int], tuple[int, str, int]]:
    """(record type, id) -> (project id, state, signing round) of every record."""
    out = {}
    for row in bind.execute(sa.text("SELECT id, project_id, state, signing_round FROM reports")):
        out[("report", row.id)] = (row.project_id, row.state, row.signing_round)
    for row in bind.execute(
        sa.text("SELECT id, kind, project_id, state, signing_round FROM change_requests")
    ):
        out[(row.kind, row.id)] = (row.project_id, row.state, row.signing_round)
    return out


def _carry_signatures(bind, next_id: int) -> None:
    groups: dict[tuple, list] = {}
    for row in bind.execute(sa.select(signatures_old).order_by(signatures_old.c.id)):
        key = (row.record_type, row.record_id, row.signing_round, row.trigger)
        groups.setdefault(key, []).append(row)
    records = _records(bind)
    for (record_type, record_id, signing_round, trigger), rows in groups.items():
        if (record_type, record_id) not in records:
            continue  # a signature on a record that no longer exists
        project_id, state, current_round = records[(record_type, record_id)]
        signed = [r.party for r in rows]
        parties = SIGNING_PARTIES.get(record_type, sorted(set(signed)))
        parties = parties + [p for p in signed if p not in parties]
        waiting = signing_round == current_round and state in SIGNED_FROM
        if waiting:
            status = "pending"
        elif set(parties) <= set(signed):
            status = "approved"
        else:
            status = "withdrawn"
        last = max(r.signed_at for r in rows)
        bind.execute(
            signoffs.insert().values(
                id=next_id,
                project_id=project_id,
                subject_type=record_type,
                subject_id=record_id,
                trigger=trigger,
                from_state=state if waiting else SIGNED_FROM[signing_round > 1],
                round=signing_round,
                parties=parties,
                needs=None,
                status=status,
                comment=None,
                data={},
                requested_by_id=rows[0].user_id,
                created_at=min(r.signed_at for r in rows),
                closed_at=None if waiting else last,
            )
        )
        for r in rows:
            bind.execute(
                decisions.insert().values(
                    signoff_id=next_id,
                    party=r.party,
                    user_id=r.user_id,
                    decision="approve",
                    comment=None,
                    decided_at=r.signed_at,
                )
            )
        next_id += 1


def _move_sequences_on(bind) -> None:
    if bind.dialect.name != "postgresql":
        return
    for table in ("signoffs", "signoff_decisions"):
        bind.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )


def upgrade():
    with op.batch_alter_table("workflow_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=10), server_default="project", nullable=False)
        )
    _create_signoff_tables()
    bind = op.get_bind()
    top = 0
    for row in bind.execute(sa.select(requests_old).order_by(requests_old.c.id)):
        top = max(top, row.id)
        bind.execute(
            signoffs.insert().values(
                id=row.id,
                project_id=row.project_id,
                subject_type="project",
                subject_id=row.project_id,
                trigger=row.trigger,
                from_state=row.from_state,
                round=1,
                parties=row.parties,
                needs=None,
                status=row.status,
                comment=row.comment,
                data=row.data or {},
                requested_by_id=row.requested_by_id,
                created_at=row.created_at,
                closed_at=row.closed_at,
            )
        )
    for row in bind.execute(sa.select(decisions_old).order_by(decisions_old.c.id)):
        bind.execute(
            decisions.insert().values(
                id=row.id,
                signoff_id=row.request_id,
                party=row.party,
                user_id=row.user_id,
                decision=row.decision,
                comment=row.comment,
                decided_at=row.decided_at,
            )
        )
    # The carried ids were given explicitly: sequences move past them before new rows.
    _move_sequences_on(bind)
    _carry_signatures(bind, top + 1)
    _move_sequences_on(bind)
    op.drop_table("record_signatures")
    op.drop_table("approval_decisions")
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_approval_requests_status"))
        batch_op.drop_index(batch_op.f("ix_approval_requests_project_id"))
    op.drop_table("approval_requests")


def _create_old_tables():
    op.create_table(
        "approval_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=60), nullable=False),
        sa.Column("from_state", sa.String(length=60), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("closed_at", WHEN, nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'withdrawn')",
            name=op.f("ck_approval_requests_approval_status"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_approval_requests_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_approval_requests_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_requests")),
    )
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_approval_requests_project_id"), ["project_id"])
        batch_op.create_index(batch_op.f("ix_approval_requests_status"), ["status"])
    op.create_table(
        "approval_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("decided_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "decision IN ('approve', 'reject')", name=op.f("ck_approval_decisions_decision")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["approval_requests.id"],
            name=op.f("fk_approval_decisions_request_id_approval_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_approval_decisions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_decisions")),
        sa.UniqueConstraint(
            "request_id", "party", name=op.f("uq_approval_decisions_request_id_party")
        ),
        sa.UniqueConstraint(
            "request_id", "user_id", name=op.f("uq_approval_decisions_request_id_user_id")
        ),
    )
    op.create_table(
        "record_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=12), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("signing_round", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=60), nullable=False),
        sa.Column("party", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "record_type IN ('report', 'side_letter', 'addendum')",
            name=op.f("ck_record_signatures_signature_record_type"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_record_signatures_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_signatures")),
        sa.UniqueConstraint(
            "record_type",
            "record_id",
            "signing_round",
            "trigger",
            "party",
            name="uq_record_signatures_party",
        ),
        sa.UniqueConstraint(
            "record_type",
            "record_id",
            "signing_round",
            "trigger",
            "user_id",
            name="uq_record_signatures_user",
        ),
    )


def downgrade():
    _create_old_tables()
    bind = op.get_bind()
    rows = bind.execute(sa.select(signoffs)).all()
    by_id = {r.id: r for r in rows}
    for r in rows:
        if r.subject_type != "project":
            continue
        bind.execute(
            requests_old.insert().values(
                id=r.id,
                project_id=r.project_id,
                trigger=r.trigger,
                from_state=r.from_state,
                parties=r.parties,
                status=r.status,
                comment=r.comment,
                data=r.data or {},
                requested_by_id=r.requested_by_id,
                created_at=r.created_at,
                closed_at=r.closed_at,
            )
        )
    for d in bind.execute(sa.select(decisions).order_by(decisions.c.id)):
        owner = by_id[d.signoff_id]
        if owner.subject_type == "project":
            bind.execute(
                decisions_old.insert().values(
                    id=d.id,
                    request_id=d.signoff_id,
                    party=d.party,
                    user_id=d.user_id,
                    decision=d.decision,
                    comment=d.comment,
                    decided_at=d.decided_at,
                )
            )
        elif d.decision == "approve" and owner.subject_type in SIGNING_PARTIES:
            bind.execute(
                signatures_old.insert().values(
                    record_type=owner.subject_type,
                    record_id=owner.subject_id,
                    signing_round=owner.round,
                    trigger=owner.trigger,
                    party=d.party,
                    user_id=d.user_id,
                    signed_at=d.decided_at,
                )
            )
    if bind.dialect.name == "postgresql":
        for table in ("approval_requests", "approval_decisions"):
            bind.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )
            )
    with op.batch_alter_table("signoff_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signoff_decisions_signoff_id"))
    op.drop_table("signoff_decisions")
    with op.batch_alter_table("signoffs", schema=None) as batch_op:
        batch_op.drop_index("ix_signoffs_subject")
        batch_op.drop_index(batch_op.f("ix_signoffs_status"))
        batch_op.drop_index(batch_op.f("ix_signoffs_project_id"))
    op.drop_table("signoffs")
    # Not a batch: SQLite would copy the table, and projects' foreign keys refuse its drop.
    op.execute("ALTER TABLE workflow_versions DROP COLUMN kind")
