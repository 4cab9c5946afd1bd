"""trainee journey: answers right after handing in a practice quiz (exams.answers_on_submit),
the cohort's 开班须知 (cohorts.admission_notice), and the 错题本's cleared questions

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 05:40:00

"""
from alembic import op
import sqlalchemy as sa

import lms.core.time


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    # plain columns with defaults: SQLite adds them in place (no table rebuild under the rows
    # that reference exams and cohorts)
    op.add_column('exams', sa.Column('answers_on_submit', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('cohorts', sa.Column('admission_notice', sa.Text(), server_default='', nullable=False))

    op.create_table('exam_mistake_clears',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('cleared_at', lms.core.time.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_exam_mistake_clears_question_id_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_exam_mistake_clears_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_mistake_clears')),
    sa.UniqueConstraint('user_id', 'question_id', name=op.f('uq_exam_mistake_clears_user_id_question_id'))
    )
    with op.batch_alter_table('exam_mistake_clears', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exam_mistake_clears_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exam_mistake_clears_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('exam_mistake_clears', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exam_mistake_clears_user_id'))
        batch_op.drop_index(batch_op.f('ix_exam_mistake_clears_question_id'))
    op.drop_table('exam_mistake_clears')

    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35+, PostgreSQL): no rebuild of referenced tables
    op.drop_column('cohorts', 'admission_notice')
    op.drop_column('exams', 'answers_on_submit')
