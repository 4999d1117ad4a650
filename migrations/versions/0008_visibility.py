"""a marked proposal is no lead partner: the lead comes when select_partner applies.

Until now a project's lead_member_state was set as soon as a proposal was marked, so a Member
State whose bid was merely marked had the lead partner's rights (the team, the selection
minutes, uploads) while the choice still waited for its approvals. The lead now comes from the
`appoint_lead` effect of select_partner; a project where select_partner never applied loses the
lead it got from a marking (its version moves on: what it shows changed). Data only.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NOT_CHOSEN = """
    lead_member_state IS NOT NULL
    AND NOT EXISTS (
        SELECT 1 FROM audit_events AS e
        WHERE e.project_id = projects.id AND e.action = 'transition'
          AND e.trigger = 'select_partner'
    )
"""


def upgrade():
    op.execute(
        f"UPDATE projects SET lead_member_state = NULL, version = version + 1 WHERE {NOT_CHOSEN}"
    )


def downgrade():
    # The earlier rule: the marked proposal of the current call gives the lead.
    op.execute(
        """
        UPDATE projects SET lead_member_state = (
            SELECT p.lead_member_state FROM proposals AS p
            WHERE p.project_id = projects.id AND p.is_selected
              AND p.call_round = projects.recirculation_count + 1
        )
        WHERE lead_member_state IS NULL
        """
    )
