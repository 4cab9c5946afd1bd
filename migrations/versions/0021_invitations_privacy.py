"""enterprise invitations by mobile number (single-use, expiring links; only the token's SHA-256
is stored) and privacy-notice consents (version, time, channel)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 05:30:00

"""
from alembic import op
import sqlalchemy as sa

import lms.core.time


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('enterprise_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', lms.core.time.UTCDateTime(timezone=True), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_enterprise_invitations_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_enterprise_invitations_invited_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_enterprise_invitations_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_enterprise_invitations_token_hash'))
    )
    with op.batch_alter_table('enterprise_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_invitations_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_invitations_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_invitations_user_id'), ['user_id'], unique=False)

    op.create_table('privacy_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('notice_version', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('consented_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_privacy_consents_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_consents'))
    )
    with op.batch_alter_table('privacy_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_consents_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('privacy_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_consents_user_id'))
    op.drop_table('privacy_consents')
    with op.batch_alter_table('enterprise_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_invitations_user_id'))
        batch_op.drop_index(batch_op.f('ix_enterprise_invitations_phone'))
        batch_op.drop_index(batch_op.f('ix_enterprise_invitations_enterprise_id'))
    op.drop_table('enterprise_invitations')
