"""continuing education: activities with registration and attendance, credits of the yearly
ledger, declared hours, transcripts, reminders; online courses with lessons, progress, the one
playing lesson per account and quiz attempts

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 02:23:48.096387

"""
from alembic import op
import sqlalchemy as sa

import lms.core.time


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ce_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=False),
    sa.Column('proof_path', sa.String(length=255), nullable=False),
    sa.Column('proof_name', sa.String(length=200), nullable=False),
    sa.Column('proof_type', sa.String(length=64), nullable=False),
    sa.Column('proof_size', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('submitted_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('approved_hours', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('decided_at', lms.core.time.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("category IN ('public', 'professional')", name=op.f('ck_ce_claims_category')),
    sa.CheckConstraint("kind IN ('training', 'publication', 'standard', 'teaching', 'other')", name=op.f('ck_ce_claims_kind')),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f('ck_ce_claims_status')),
    sa.CheckConstraint('approved_hours IS NULL OR (approved_hours > 0 AND approved_hours <= hours)', name=op.f('ck_ce_claims_approved_hours')),
    sa.CheckConstraint('happened_on <= ended_on', name=op.f('ck_ce_claims_dates')),
    sa.CheckConstraint('hours > 0', name=op.f('ck_ce_claims_hours')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_ce_claims_decided_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ce_claims_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_claims'))
    )
    with op.batch_alter_table('ce_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ce_claims_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_ce_claims_user_id'), ['user_id'], unique=False)

    op.create_table('ce_credits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('earned_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('credited_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('credited_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("category IN ('public', 'professional')", name=op.f('ck_ce_credits_category')),
    sa.CheckConstraint("source IN ('activity', 'course', 'claim')", name=op.f('ck_ce_credits_source')),
    sa.CheckConstraint('hours > 0', name=op.f('ck_ce_credits_hours')),
    sa.ForeignKeyConstraint(['credited_by_id'], ['users.id'], name=op.f('fk_ce_credits_credited_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ce_credits_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_credits')),
    sa.UniqueConstraint('user_id', 'source', 'source_id', name=op.f('uq_ce_credits_user_id_source_source_id'))
    )
    with op.batch_alter_table('ce_credits', schema=None) as batch_op:
        batch_op.create_index('ix_ce_credits_user_year', ['user_id', 'year'], unique=False)

    op.create_table('ce_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('missing_hours', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ce_reminders_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_reminders')),
    sa.UniqueConstraint('user_id', 'sent_on', name=op.f('uq_ce_reminders_user_id_sent_on'))
    )
    op.create_table('ce_transcripts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('holder_name', sa.String(length=64), nullable=False),
    sa.Column('holder_id_number', sa.String(length=18), nullable=False),
    sa.Column('required_hours', sa.Float(), nullable=False),
    sa.Column('earned_hours', sa.Float(), nullable=False),
    sa.Column('by_category', sa.JSON(), nullable=False),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.Column('credits_digest', sa.String(length=64), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('token', sa.Text(), nullable=False),
    sa.Column('pdf_path', sa.String(length=255), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('superseded_at', lms.core.time.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('valid', 'superseded')", name=op.f('ck_ce_transcripts_status')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ce_transcripts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_transcripts')),
    sa.UniqueConstraint('number', name=op.f('uq_ce_transcripts_number'))
    )
    with op.batch_alter_table('ce_transcripts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ce_transcripts_pdf_sha256'), ['pdf_sha256'], unique=False)
        batch_op.create_index('ix_ce_transcripts_user_year', ['user_id', 'year'], unique=False)

    op.create_table('ce_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('starts_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('published_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("category IN ('public', 'professional')", name=op.f('ck_ce_activities_category')),
    sa.CheckConstraint("kind IN ('forum', 'lecture', 'salon', 'course')", name=op.f('ck_ce_activities_kind')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_ce_activities_capacity')),
    sa.CheckConstraint('hours > 0', name=op.f('ck_ce_activities_hours')),
    sa.CheckConstraint('seats_taken >= 0 AND seats_taken <= capacity', name=op.f('ck_ce_activities_seats_taken')),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_ce_activities_times')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_ce_activities_created_by_id_users')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_ce_activities_institution_id_institutions')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_ce_activities_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_activities'))
    )
    with op.batch_alter_table('ce_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ce_activities_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ce_activities_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ce_activities_starts_at'), ['starts_at'], unique=False)

    op.create_table('ce_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('recorded_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("method IN ('qr', 'list')", name=op.f('ck_ce_attendance_method')),
    sa.ForeignKeyConstraint(['activity_id'], ['ce_activities.id'], name=op.f('fk_ce_attendance_activity_id_ce_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_ce_attendance_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ce_attendance_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_attendance')),
    sa.UniqueConstraint('activity_id', 'user_id', name=op.f('uq_ce_attendance_activity_id_user_id'))
    )
    with op.batch_alter_table('ce_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ce_attendance_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ce_attendance_user_id'), ['user_id'], unique=False)

    op.create_table('ce_courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('quiz_bank_id', sa.Integer(), nullable=True),
    sa.Column('quiz_count', sa.Integer(), nullable=False),
    sa.Column('quiz_pass_mark', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("category IN ('public', 'professional')", name=op.f('ck_ce_courses_category')),
    sa.CheckConstraint('hours > 0', name=op.f('ck_ce_courses_hours')),
    sa.CheckConstraint('quiz_count >= 0', name=op.f('ck_ce_courses_quiz_count')),
    sa.CheckConstraint('quiz_pass_mark BETWEEN 0 AND 100', name=op.f('ck_ce_courses_quiz_pass_mark')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_ce_courses_created_by_id_users')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_ce_courses_institution_id_institutions')),
    sa.ForeignKeyConstraint(['quiz_bank_id'], ['question_banks.id'], name=op.f('fk_ce_courses_quiz_bank_id_question_banks')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_ce_courses_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_courses'))
    )
    with op.batch_alter_table('ce_courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ce_courses_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ce_courses_region_id'), ['region_id'], unique=False)

    op.create_table('ce_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('registered_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('waitlisted_at', lms.core.time.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', lms.core.time.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('registered', 'waitlisted', 'cancelled')", name=op.f('ck_ce_registrations_status')),
    sa.ForeignKeyConstraint(['activity_id'], ['ce_activities.id'], name=op.f('fk_ce_registrations_activity_id_ce_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ce_registrations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_registrations')),
    sa.UniqueConstraint('activity_id', 'user_id', name=op.f('uq_ce_registrations_activity_id_user_id'))
    )
    with op.batch_alter_table('ce_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ce_registrations_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ce_registrations_user_id'), ['user_id'], unique=False)

    op.create_table('ce_lessons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('min_seconds', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('received', sa.BigInteger(), nullable=False),
    sa.Column('ready', sa.Boolean(), nullable=False),
    sa.Column('created_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('video', 'pdf')", name=op.f('ck_ce_lessons_kind')),
    sa.CheckConstraint('min_seconds > 0', name=op.f('ck_ce_lessons_min_seconds')),
    sa.CheckConstraint('received >= 0 AND received <= size', name=op.f('ck_ce_lessons_received')),
    sa.ForeignKeyConstraint(['course_id'], ['ce_courses.id'], name=op.f('fk_ce_lessons_course_id_ce_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_lessons'))
    )
    with op.batch_alter_table('ce_lessons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ce_lessons_course_id'), ['course_id'], unique=False)

    op.create_table('ce_quiz_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('paper', sa.JSON(), nullable=False),
    sa.Column('started_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', lms.core.time.UTCDateTime(timezone=True), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('max_score', sa.Float(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['ce_courses.id'], name=op.f('fk_ce_quiz_attempts_course_id_ce_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ce_quiz_attempts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_quiz_attempts'))
    )
    with op.batch_alter_table('ce_quiz_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ce_quiz_attempts_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ce_quiz_attempts_user_id'), ['user_id'], unique=False)

    op.create_table('ce_lesson_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('started_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('beat_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.Column('position', sa.Float(), nullable=False),
    sa.Column('counting', sa.Boolean(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('completed_at', lms.core.time.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('seconds >= 0', name=op.f('ck_ce_lesson_progress_seconds')),
    sa.ForeignKeyConstraint(['lesson_id'], ['ce_lessons.id'], name=op.f('fk_ce_lesson_progress_lesson_id_ce_lessons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ce_lesson_progress_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_lesson_progress')),
    sa.UniqueConstraint('user_id', 'lesson_id', name=op.f('uq_ce_lesson_progress_user_id_lesson_id'))
    )
    with op.batch_alter_table('ce_lesson_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ce_lesson_progress_lesson_id'), ['lesson_id'], unique=False)

    op.create_table('ce_players',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('play_id', sa.String(length=32), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('started_at', lms.core.time.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lesson_id'], ['ce_lessons.id'], name=op.f('fk_ce_players_lesson_id_ce_lessons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ce_players_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_ce_players'))
    )


def downgrade():
    op.drop_table('ce_players')
    with op.batch_alter_table('ce_lesson_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ce_lesson_progress_lesson_id'))

    op.drop_table('ce_lesson_progress')
    with op.batch_alter_table('ce_quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ce_quiz_attempts_user_id'))
        batch_op.drop_index(batch_op.f('ix_ce_quiz_attempts_course_id'))

    op.drop_table('ce_quiz_attempts')
    with op.batch_alter_table('ce_lessons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ce_lessons_course_id'))

    op.drop_table('ce_lessons')
    with op.batch_alter_table('ce_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ce_registrations_user_id'))
        batch_op.drop_index(batch_op.f('ix_ce_registrations_activity_id'))

    op.drop_table('ce_registrations')
    with op.batch_alter_table('ce_courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ce_courses_region_id'))
        batch_op.drop_index(batch_op.f('ix_ce_courses_institution_id'))

    op.drop_table('ce_courses')
    with op.batch_alter_table('ce_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ce_attendance_user_id'))
        batch_op.drop_index(batch_op.f('ix_ce_attendance_activity_id'))

    op.drop_table('ce_attendance')
    with op.batch_alter_table('ce_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ce_activities_starts_at'))
        batch_op.drop_index(batch_op.f('ix_ce_activities_region_id'))
        batch_op.drop_index(batch_op.f('ix_ce_activities_institution_id'))

    op.drop_table('ce_activities')
    with op.batch_alter_table('ce_transcripts', schema=None) as batch_op:
        batch_op.drop_index('ix_ce_transcripts_user_year')
        batch_op.drop_index(batch_op.f('ix_ce_transcripts_pdf_sha256'))

    op.drop_table('ce_transcripts')
    op.drop_table('ce_reminders')
    with op.batch_alter_table('ce_credits', schema=None) as batch_op:
        batch_op.drop_index('ix_ce_credits_user_year')

    op.drop_table('ce_credits')
    with op.batch_alter_table('ce_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ce_claims_user_id'))
        batch_op.drop_index(batch_op.f('ix_ce_claims_status'))

    op.drop_table('ce_claims')
