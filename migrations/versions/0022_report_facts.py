"""the reports' stored facts (report_facts) and the people whose facts must be rewritten
(report_stale); every person with records is marked stale, so the first count after the upgrade
(or `flask lms report rebuild`, cheaper to run once ahead) writes the facts from the records

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 08:10:59

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_facts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=32), nullable=False),
    sa.Column('person', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('end_day', sa.Date(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.String(length=16), nullable=True),
    sa.Column('ref', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_facts'))
    )
    with op.batch_alter_table('report_facts', schema=None) as batch_op:
        batch_op.create_index('ix_report_facts_metric_region_day', ['metric', 'region_id', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_facts_person'), ['person'], unique=False)

    op.create_table('report_stale',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_stale'))
    )
    op.execute("INSERT INTO report_stale (person) SELECT user_id FROM applications UNION SELECT user_id FROM certificates "
               "UNION SELECT user_id FROM appointments UNION SELECT user_id FROM talent_entries "
               "UNION SELECT user_id FROM ce_credits")


def downgrade():
    op.drop_table('report_stale')
    with op.batch_alter_table('report_facts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_facts_person'))
        batch_op.drop_index('ix_report_facts_metric_region_day')

    op.drop_table('report_facts')
