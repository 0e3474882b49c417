"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-12-04 18:26:11.966896
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table('patients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mrn', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('ward', sa.String(length=64), nullable=True),
    sa.Column('bed', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("sex IN ('F','M','X','U')", name=op.f('ck_patients_sex')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patients')),
    sa.UniqueConstraint('mrn', name=op.f('uq_patients_mrn'))
    )
    op.create_index('ix_patients_name', 'patients', ['name'], unique=False)
    op.create_index('ix_patients_ward_bed', 'patients', ['ward', 'bed'], unique=False)
    op.create_table('stream_cursors',
    sa.Column('stream', sa.String(length=200), nullable=False),
    sa.Column('last_id', sa.String(length=64), nullable=False),
    sa.Column('state', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('stream', name=op.f('pk_stream_cursors'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('admin','clinician','viewer')", name=op.f('ck_users_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('devices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_devices_patient_id_patients'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_devices_key_hash')),
    sa.UniqueConstraint('name', name=op.f('uq_devices_name'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('resource', sa.String(length=64), nullable=False),
    sa.Column('resource_id', sa.String(length=64), nullable=True),
    sa.Column('patient_id', sa.Integer(), nullable=True),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.Column('detail', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_audit_log_device_id_devices'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_log_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_at', 'audit_log', ['at'], unique=False)
    op.create_index('ix_audit_log_patient_at', 'audit_log', ['patient_id', 'at'], unique=False)
    op.create_index('ix_audit_log_user_at', 'audit_log', ['user_id', 'at'], unique=False)
    op.create_table('ecg_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('fs', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('stream_session', sa.BigInteger(), nullable=False),
    sa.Column('end_reason', sa.String(length=64), nullable=True),
    sa.CheckConstraint("status IN ('active','ended','error')", name=op.f('ck_ecg_sessions_status')),
    sa.CheckConstraint('fs > 0', name=op.f('ck_ecg_sessions_fs')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_ecg_sessions_device_id_devices'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_ecg_sessions_patient_id_patients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ecg_sessions')),
    sa.UniqueConstraint('patient_id', 'stream_session', name='uq_ecg_sessions_patient_stream')
    )
    op.create_index('ix_ecg_sessions_patient_started', 'ecg_sessions', ['patient_id', 'started_at'], unique=False)
    op.create_index('uq_ecg_sessions_one_active', 'ecg_sessions', ['patient_id'], unique=True, postgresql_where="status = 'active'")
    op.create_table('alarms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_key', sa.String(length=128), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('technical', sa.Boolean(), nullable=False),
    sa.Column('onset_sample', sa.BigInteger(), nullable=False),
    sa.Column('onset_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('offset_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("severity IN ('critical','warning','advisory')", name=op.f('ck_alarms_severity')),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['users.id'], name=op.f('fk_alarms_acknowledged_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_alarms_patient_id_patients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by'], ['users.id'], name=op.f('fk_alarms_resolved_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['ecg_sessions.id'], name=op.f('fk_alarms_session_id_ecg_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alarms')),
    sa.UniqueConstraint('event_key', name=op.f('uq_alarms_event_key'))
    )
    op.create_index('ix_alarms_onset', 'alarms', ['onset_at'], unique=False)
    op.create_index('ix_alarms_open', 'alarms', ['onset_at'], unique=False, postgresql_where='resolved_at IS NULL')
    op.create_index('ix_alarms_patient_onset', 'alarms', ['patient_id', 'onset_at'], unique=False)
    op.create_index('ix_alarms_session', 'alarms', ['session_id'], unique=False)
    op.create_table('episodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_key', sa.String(length=128), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('rhythm', sa.String(length=32), nullable=False),
    sa.Column('onset_sample', sa.BigInteger(), nullable=False),
    sa.Column('offset_sample', sa.BigInteger(), nullable=True),
    sa.Column('onset_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('offset_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_episodes_patient_id_patients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['ecg_sessions.id'], name=op.f('fk_episodes_session_id_ecg_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_episodes')),
    sa.UniqueConstraint('event_key', name=op.f('uq_episodes_event_key'))
    )
    op.create_index('ix_episodes_patient_onset', 'episodes', ['patient_id', 'onset_at'], unique=False)
    op.create_index('ix_episodes_session', 'episodes', ['session_id', 'onset_sample'], unique=False)
    op.create_table('trends',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('minute_index', sa.Integer(), nullable=False),
    sa.Column('minute', sa.DateTime(timezone=True), nullable=False),
    sa.Column('beats', sa.Integer(), nullable=False),
    sa.Column('hr_bpm', sa.Float(), nullable=True),
    sa.Column('sdnn_ms', sa.Float(), nullable=True),
    sa.Column('rmssd_ms', sa.Float(), nullable=True),
    sa.Column('rr_sum_ms', sa.Float(), nullable=False),
    sa.Column('rr_count', sa.Integer(), nullable=False),
    sa.Column('nn_sum_ms', sa.Float(), nullable=False),
    sa.Column('nn_sq_sum', sa.Float(), nullable=False),
    sa.Column('nn_count', sa.Integer(), nullable=False),
    sa.Column('sd_sq_sum', sa.Float(), nullable=False),
    sa.Column('sd_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_trends_patient_id_patients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['ecg_sessions.id'], name=op.f('fk_trends_session_id_ecg_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trends')),
    sa.UniqueConstraint('session_id', 'minute_index', name='uq_trends_session_minute')
    )
    op.create_index('ix_trends_patient_minute', 'trends', ['patient_id', 'minute'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_trends_patient_minute', table_name='trends')
    op.drop_table('trends')
    op.drop_index('ix_episodes_session', table_name='episodes')
    op.drop_index('ix_episodes_patient_onset', table_name='episodes')
    op.drop_table('episodes')
    op.drop_index('ix_alarms_session', table_name='alarms')
    op.drop_index('ix_alarms_patient_onset', table_name='alarms')
    op.drop_index('ix_alarms_open', table_name='alarms', postgresql_where='resolved_at IS NULL')
    op.drop_index('ix_alarms_onset', table_name='alarms')
    op.drop_table('alarms')
    op.drop_index('uq_ecg_sessions_one_active', table_name='ecg_sessions', postgresql_where="status = 'active'")
    op.drop_index('ix_ecg_sessions_patient_started', table_name='ecg_sessions')
    op.drop_table('ecg_sessions')
    op.drop_index('ix_audit_log_user_at', table_name='audit_log')
    op.drop_index('ix_audit_log_patient_at', table_name='audit_log')
    op.drop_index('ix_audit_log_at', table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_table('devices')
    op.drop_table('users')
    op.drop_table('stream_cursors')
    op.drop_index('ix_patients_ward_bed', table_name='patients')
    op.drop_index('ix_patients_name', table_name='patients')
    op.drop_table('patients')
