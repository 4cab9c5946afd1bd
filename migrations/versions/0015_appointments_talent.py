"""posts and appointments; filings and the talent pool; enterprise industry, ownership and honours

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-05 02:17:50.550483

"""
from alembic import op
import sqlalchemy as sa

import lms.core.time


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=64), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('levels', sa.JSON(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('usual_count', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('usual_count IS NULL OR usual_count > 0', name=op.f('ck_posts_usual_count')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_posts_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posts')),
    sa.UniqueConstraint('code', name=op.f('uq_posts_code'))
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posts_region_id'), ['region_id'], unique=False)

    op.create_table('appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('full_time', sa.Boolean(), nullable=False),
    sa.Column('document_no', sa.String(length=64), nullable=False),
    sa.Column('letter_path', sa.String(length=255), nullable=True),
    sa.Column('letter_name', sa.String(length=200), nullable=False),
    sa.Column('letter_type', sa.String(length=32), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('end_reason', sa.String(length=16), nullable=True),
    sa.Column('end_note', sa.Text(), nullable=False),
    sa.Column('created_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('ended_at', lms.core.time.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(status = 'ended') = (ended_on IS NOT NULL AND end_reason IS NOT NULL)", name=op.f('ck_appointments_ended')),
    sa.CheckConstraint("end_reason IN ('left', 'dismissed', 'term_ended')", name=op.f('ck_appointments_end_reason')),
    sa.CheckConstraint("status IN ('active', 'ended')", name=op.f('ck_appointments_status')),
    sa.CheckConstraint('ended_on IS NULL OR ended_on >= starts_on', name=op.f('ck_appointments_dates')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_appointments_created_by_id_users')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_appointments_ended_by_id_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_appointments_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_appointments_post_id_posts')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_appointments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments'))
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointments_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_user_id'), ['user_id'], unique=False)

    op.create_table('filings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('form', sa.JSON(), nullable=False),
    sa.Column('filing_no', sa.String(length=32), nullable=True),
    sa.Column('created_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', lms.core.time.UTCDateTime(timezone=True), nullable=True),
    sa.Column('endorsed_at', lms.core.time.UTCDateTime(timezone=True), nullable=True),
    sa.Column('endorsed_by_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', lms.core.time.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('returned_at', lms.core.time.UTCDateTime(timezone=True), nullable=True),
    sa.Column('returned_by_id', sa.Integer(), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'endorsed', 'accepted', 'returned')", name=op.f('ck_filings_status')),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_filings_accepted_by_id_users')),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_filings_appointment_id_appointments')),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_filings_certificate_id_certificates')),
    sa.ForeignKeyConstraint(['endorsed_by_id'], ['users.id'], name=op.f('fk_filings_endorsed_by_id_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_filings_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['returned_by_id'], ['users.id'], name=op.f('fk_filings_returned_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_filings_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filings')),
    sa.UniqueConstraint('filing_no', name=op.f('uq_filings_filing_no'))
    )
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_filings_appointment_id'), ['appointment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_filings_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_filings_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_filings_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_filings_open_appointment', ['appointment_id'], unique=True, sqlite_where=sa.text("status != 'accepted'"), postgresql_where=sa.text("status != 'accepted'"))

    op.create_table('talent_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=False),
    sa.Column('achievements_text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_talent_entries_certificate_id_certificates')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_talent_entries_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['filing_id'], ['filings.id'], name=op.f('fk_talent_entries_filing_id_filings')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_talent_entries_post_id_posts')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_talent_entries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_entries')),
    sa.UniqueConstraint('filing_id', name=op.f('uq_talent_entries_filing_id'))
    )
    with op.batch_alter_table('talent_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_entries_accepted_on'), ['accepted_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_entries_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_entries_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_entries_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('industry_section', sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column('ownership', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('honours', sa.String(length=255), server_default='', nullable=False))
        batch_op.create_check_constraint(
            'industry_section', "industry_section IN ('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', "
                                "'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T')")
        batch_op.create_check_constraint('ownership', "ownership IN ('state', 'private', 'foreign', 'other')")



def downgrade():
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_enterprises_ownership'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_enterprises_industry_section'), type_='check')
        batch_op.drop_column('honours')
        batch_op.drop_column('ownership')
        batch_op.drop_column('industry_section')

    with op.batch_alter_table('talent_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_entries_user_id'))
        batch_op.drop_index(batch_op.f('ix_talent_entries_post_id'))
        batch_op.drop_index(batch_op.f('ix_talent_entries_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_talent_entries_accepted_on'))

    op.drop_table('talent_entries')
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.drop_index('uq_filings_open_appointment', sqlite_where=sa.text("status != 'accepted'"), postgresql_where=sa.text("status != 'accepted'"))
        batch_op.drop_index(batch_op.f('ix_filings_user_id'))
        batch_op.drop_index(batch_op.f('ix_filings_status'))
        batch_op.drop_index(batch_op.f('ix_filings_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_filings_appointment_id'))

    op.drop_table('filings')
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointments_user_id'))
        batch_op.drop_index(batch_op.f('ix_appointments_status'))
        batch_op.drop_index(batch_op.f('ix_appointments_post_id'))
        batch_op.drop_index(batch_op.f('ix_appointments_enterprise_id'))

    op.drop_table('appointments')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posts_region_id'))

    op.drop_table('posts')
