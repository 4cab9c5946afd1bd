"""final assignment (结业作业) assessment on enrollments

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 13:24:35.495695

"""
from alembic import op
import sqlalchemy as sa

import lms.core.time


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignment_passed', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('assignment_assessed_at', lms.core.time.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('assignment_assessed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_applications_assignment_assessed_by_id_users'), 'users', ['assignment_assessed_by_id'], ['id'])



def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_applications_assignment_assessed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('assignment_assessed_by_id')
        batch_op.drop_column('assignment_assessed_at')
        batch_op.drop_column('assignment_passed')

