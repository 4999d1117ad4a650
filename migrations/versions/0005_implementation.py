"""implementation records (components, activities, reports, documents).

Team, components with mandatory results and indicators, activities, reports, side letters and
addenda (change_requests) with their co-signatures, steering committee meetings, documents.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import twinflow.orm

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('record_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=12), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('signing_round', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=60), nullable=False),
    sa.Column('party', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('signed_at', twinflow.orm.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("record_type IN ('report', 'side_letter', 'addendum')", name=op.f('ck_record_signatures_signature_record_type')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_record_signatures_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_signatures')),
    sa.UniqueConstraint('record_type', 'record_id', 'signing_round', 'trigger', 'party', name='uq_record_signatures_party'),
    sa.UniqueConstraint('record_type', 'record_id', 'signing_round', 'trigger', 'user_id', name='uq_record_signatures_user')
    )
    op.create_table('change_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('applied', sa.JSON(), nullable=True),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('workflow_version', sa.String(length=16), nullable=False),
    sa.Column('signing_round', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', twinflow.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', twinflow.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', twinflow.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', twinflow.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_comment', sa.Text(), nullable=True),
    sa.CheckConstraint("kind IN ('side_letter', 'addendum')", name=op.f('ck_change_requests_change_kind')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_change_requests_author_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_change_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_change_requests_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_requests')),
    sa.UniqueConstraint('project_id', 'kind', 'number', name=op.f('uq_change_requests_project_id_kind_number'))
    )
    with op.batch_alter_table('change_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_requests_project_id'), ['project_id'], unique=False)

    op.create_table('components',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', twinflow.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_components_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_components')),
    sa.UniqueConstraint('project_id', 'number', name=op.f('uq_components_project_id_number'))
    )
    with op.batch_alter_table('components', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_components_project_id'), ['project_id'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('period_start', twinflow.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('period_end', twinflow.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('workflow_version', sa.String(length=16), nullable=False),
    sa.Column('signing_round', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', twinflow.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', twinflow.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', twinflow.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', twinflow.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_comment', sa.Text(), nullable=True),
    sa.CheckConstraint("kind IN ('interim', 'final')", name=op.f('ck_reports_report_kind')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_reports_author_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_reports_decided_by_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_reports_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('project_id', 'kind', 'number', name=op.f('uq_reports_project_id_kind_number'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_project_id'), ['project_id'], unique=False)

    op.create_table('steering_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('attendees', sa.JSON(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', twinflow.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_steering_meetings_project_id_projects')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_steering_meetings_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_steering_meetings'))
    )
    with op.batch_alter_table('steering_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_steering_meetings_project_id'), ['project_id'], unique=False)

    op.create_table('team_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('secondment_start', sa.Date(), nullable=True),
    sa.Column('secondment_end', sa.Date(), nullable=True),
    sa.Column('created_at', twinflow.orm.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('ms_project_leader', 'bc_project_leader', 'rta', 'rta_counterpart', 'junior_ms_partner')", name=op.f('ck_team_members_team_role')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_team_members_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_members'))
    )
    with op.batch_alter_table('team_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_members_project_id'), ['project_id'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('component_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('planned_start', sa.Date(), nullable=False),
    sa.Column('planned_end', sa.Date(), nullable=False),
    sa.Column('actual_start', sa.Date(), nullable=True),
    sa.Column('actual_end', sa.Date(), nullable=True),
    sa.Column('experts', sa.JSON(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', twinflow.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', twinflow.orm.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('expert_mission', 'training', 'workshop', 'study_visit', 'internship', 'counselling')", name=op.f('ck_activities_activity_kind')),
    sa.CheckConstraint("status IN ('planned', 'ongoing', 'done', 'cancelled')", name=op.f('ck_activities_activity_status')),
    sa.CheckConstraint('planned_end >= planned_start', name=op.f('ck_activities_activity_planned_order')),
    sa.ForeignKeyConstraint(['component_id'], ['components.id'], name=op.f('fk_activities_component_id_components')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_activities_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_project_id'), ['project_id'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('change_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', twinflow.orm.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("category IN ('fiche', 'proposal', 'selection_minutes', 'work_plan', 'contract', 'interim_report', 'final_report', 'audit_certificate', 'steering_minutes', 'side_letter', 'addendum', 'other')", name=op.f('ck_documents_doc_category')),
    sa.ForeignKeyConstraint(['change_id'], ['change_requests.id'], name=op.f('fk_documents_change_id_change_requests')),
    sa.ForeignKeyConstraint(['meeting_id'], ['steering_meetings.id'], name=op.f('fk_documents_meeting_id_steering_meetings')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_documents_project_id_projects')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_documents_report_id_reports')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_documents_storage_key'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_change_id'), ['change_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_report_id'), ['report_id'], unique=False)

    op.create_table('mandatory_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('component_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['component_id'], ['components.id'], name=op.f('fk_mandatory_results_component_id_components')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mandatory_results')),
    sa.UniqueConstraint('component_id', 'number', name=op.f('uq_mandatory_results_component_id_number'))
    )
    with op.batch_alter_table('mandatory_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mandatory_results_component_id'), ['component_id'], unique=False)

    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=60), nullable=False),
    sa.Column('baseline', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('target', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('reached', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('reached_at', twinflow.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['result_id'], ['mandatory_results.id'], name=op.f('fk_indicators_result_id_mandatory_results')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_indicators_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_result_id'), ['result_id'], unique=False)



def downgrade():
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_result_id'))

    op.drop_table('indicators')
    with op.batch_alter_table('mandatory_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mandatory_results_component_id'))

    op.drop_table('mandatory_results')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_report_id'))
        batch_op.drop_index(batch_op.f('ix_documents_project_id'))
        batch_op.drop_index(batch_op.f('ix_documents_change_id'))

    op.drop_table('documents')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_project_id'))

    op.drop_table('activities')
    with op.batch_alter_table('team_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_members_project_id'))

    op.drop_table('team_members')
    with op.batch_alter_table('steering_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_steering_meetings_project_id'))

    op.drop_table('steering_meetings')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_project_id'))

    op.drop_table('reports')
    with op.batch_alter_table('components', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_components_project_id'))

    op.drop_table('components')
    with op.batch_alter_table('change_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_requests_project_id'))

    op.drop_table('change_requests')
    op.drop_table('record_signatures')
