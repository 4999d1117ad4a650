"""The portfolio's projects mark (issue 18): a one-row counter moved on by triggers on projects
whenever a project is added or removed or its id, beneficiary country or sector changes.

The kept time-in-stage figures of a reader whose scope is drawn by country (coordinators and
administrators: the portfolio's readers) depend on the kept stays and on exactly those columns
of the projects; with this counter a view tells whether they still hold from two one-row
reads, where it digested every visible project (md5 of a string_agg over 10,000 rows). A
transition writes none of these columns: the lifecycle walk is unchanged. A row of its own
(not the watermark's), so adding a project never waits for a fold.

Two indexes for the reads left on /portfolio: (beneficiary_country, state), so the stage
counts are an index-only scan (with or without a country filter), with the id included on
PostgreSQL so the overdue count's join reads it instead of every project's row (and the lead and
junior Member States, so the project lists' filter choices and counts, grouped over every visible
project on each list view, read the index too: 9.6 -> 3.8 ms at 10,000 projects); and there the
timeline's order (the start as figures._span reads it, then the id) over the projects that
have a start, so a page of bars stops after its 50 and their total reads only those projects
(the country included: a coordinator's total is an index-only scan too).

portfolio_kept_figures.scope_key: the reader's scope as text, so the scheduler pass, right
after its fold, computes the figures again for each scope in use whose stays moved on
(kept.refresh) and a view after a transition finds them kept instead of computing them.

Revision ID: 0028
Revises: 0027
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

BUMP = "UPDATE portfolio_projects_mark SET version = version + 1 WHERE id = 1"
MOVED = "OLD.id IS DISTINCT FROM NEW.id OR OLD.beneficiary_country IS DISTINCT FROM NEW.beneficiary_country OR OLD.sector IS DISTINCT FROM NEW.sector"  # noqa: E501

# The timeline's start (twinflow/portfolio/models.py TIMELINE_START, as PostgreSQL renders it).
START = "coalesce(start_on, CAST((implementation_start AT TIME ZONE 'UTC') AS DATE))"
SQLITE = [
    f"CREATE TRIGGER portfolio_projects_added AFTER INSERT ON projects BEGIN {BUMP}; END",
    f"CREATE TRIGGER portfolio_projects_removed AFTER DELETE ON projects BEGIN {BUMP}; END",
    f"""CREATE TRIGGER portfolio_projects_moved AFTER UPDATE OF id, beneficiary_country, sector
       ON projects WHEN {MOVED.replace("IS DISTINCT FROM", "IS NOT")} BEGIN {BUMP}; END""",
]
POSTGRES = [
    f"""CREATE FUNCTION twinflow_portfolio_projects_mark() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN {BUMP}; RETURN NULL; END $$""",
    # Once a statement for additions and removals (an import adds many projects at once).
    """CREATE TRIGGER portfolio_projects_added_or_removed
       AFTER INSERT OR DELETE OR TRUNCATE ON projects
       FOR EACH STATEMENT EXECUTE FUNCTION twinflow_portfolio_projects_mark()""",
    f"""CREATE TRIGGER portfolio_projects_moved AFTER UPDATE OF id, beneficiary_country, sector
       ON projects FOR EACH ROW WHEN ({MOVED})
       EXECUTE FUNCTION twinflow_portfolio_projects_mark()""",
]


def upgrade():
    mark = op.create_table(
        "portfolio_projects_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_projects_mark")),
    )
    op.bulk_insert(mark, [{"id": 1, "version": 0}])
    op.add_column("portfolio_kept_figures", sa.Column("scope_key", sa.Text(), nullable=True))
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE if sqlite else POSTGRES:
        op.execute(statement)
    op.create_index(
        "ix_projects_country_state",
        "projects",
        ["beneficiary_country", "state"],
        postgresql_include=["id", "lead_member_state", "junior_member_states"],
    )
    if not sqlite:
        op.execute(
            f"CREATE INDEX ix_projects_timeline_start ON projects ({START}, id) "
            f"INCLUDE (beneficiary_country) WHERE {START} IS NOT NULL"
        )


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_projects_timeline_start")
    op.drop_index("ix_projects_country_state", table_name="projects")
    if op.get_bind().dialect.name == "sqlite":
        for name in ("added", "removed", "moved"):
            op.execute(f"DROP TRIGGER IF EXISTS portfolio_projects_{name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS portfolio_projects_added_or_removed ON projects")
        op.execute("DROP TRIGGER IF EXISTS portfolio_projects_moved ON projects")
        op.execute("DROP FUNCTION IF EXISTS twinflow_portfolio_projects_mark()")
    with op.batch_alter_table("portfolio_kept_figures") as batch_op:
        batch_op.drop_column("scope_key")
    op.drop_table("portfolio_projects_mark")
