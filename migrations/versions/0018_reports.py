"""reports: targets (report_targets); the holder's enterprise and its region at issue kept on
each certificate (statistics count people where they worked), filled for existing certificates
from the enrollment's enterprise

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-05 05:09:08.976766

"""
from alembic import op
import sqlalchemy as sa

import lms.core.time


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=32), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('created_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('starts_on < deadline', name=op.f('ck_report_targets_period')),
    sa.CheckConstraint('value > 0', name=op.f('ck_report_targets_value')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_report_targets_created_by_id_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_report_targets_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_targets'))
    )
    with op.batch_alter_table('report_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_targets_region_id'), ['region_id'], unique=False)

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holder_enterprise_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('holder_region_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_certificates_holder_enterprise_id'), ['holder_enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_holder_region_id'), ['holder_region_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_certificates_holder_region_id_regions'), 'regions', ['holder_region_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_certificates_holder_enterprise_id_enterprises'), 'enterprises', ['holder_enterprise_id'], ['id'])

    # Existing certificates: the enterprise the holder applied from (the record nearest to the
    # issue), else the profile's; every version of an enrollment gets the same.
    op.execute(sa.text(
        "UPDATE certificates SET holder_enterprise_id = COALESCE("
        " (SELECT a.enterprise_id FROM applications a WHERE a.id = certificates.application_id),"
        " (SELECT p.enterprise_id FROM trainee_profiles p WHERE p.user_id = certificates.user_id))"
        " WHERE holder_enterprise_id IS NULL"))
    op.execute(sa.text(
        "UPDATE certificates SET holder_region_id ="
        " (SELECT e.region_id FROM enterprises e WHERE e.id = certificates.holder_enterprise_id)"
        " WHERE holder_enterprise_id IS NOT NULL AND holder_region_id IS NULL"))


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_certificates_holder_enterprise_id_enterprises'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_certificates_holder_region_id_regions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_certificates_holder_region_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_holder_enterprise_id'))
        batch_op.drop_column('holder_region_id')
        batch_op.drop_column('holder_enterprise_id')

    with op.batch_alter_table('report_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_targets_region_id'))

    op.drop_table('report_targets')
