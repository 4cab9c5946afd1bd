"""question exclusion groups: questions of a bank that never share a paper (YAML `excludes`)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('question_exclusion_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['question_banks.id'], name=op.f('fk_question_exclusion_groups_bank_id_question_banks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_exclusion_groups'))
    )
    with op.batch_alter_table('question_exclusion_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_exclusion_groups_bank_id'), ['bank_id'], unique=False)

    op.create_table('question_exclusion_members',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['question_exclusion_groups.id'], name=op.f('fk_question_exclusion_members_group_id_question_exclusion_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_question_exclusion_members_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'question_id', name=op.f('pk_question_exclusion_members'))
    )
    with op.batch_alter_table('question_exclusion_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_exclusion_members_question_id'), ['question_id'], unique=False)


def downgrade():
    with op.batch_alter_table('question_exclusion_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_exclusion_members_question_id'))

    op.drop_table('question_exclusion_members')
    with op.batch_alter_table('question_exclusion_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_exclusion_groups_bank_id'))

    op.drop_table('question_exclusion_groups')
