"""trainee position level (职务层级) for the Liaoning tiers; roster invitations (invited, declined)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-12 10:00:00

Profiles saved before keep position_level NULL until the trainee fills it in. Applications gain
two statuses: `invited` (a roster import asks the person; nothing is enrolled until they accept)
and `declined`.
"""
from alembic import op
import sqlalchemy as sa

import lms.core.time  # noqa: F401 - as in every revision


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

OLD_STATUSES = "'nominated', 'eligible', 'review', 'ineligible', 'approved', 'rejected', 'waitlisted', 'withdrawn'"
NEW_STATUSES = ("'nominated', 'invited', 'eligible', 'review', 'ineligible', 'approved', 'rejected', 'waitlisted', "
                "'withdrawn', 'declined'")


def upgrade():
    with op.batch_alter_table('trainee_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position_level', sa.String(length=16), nullable=True))
        batch_op.create_check_constraint(
            'position_level', "position_level IN ('staff', 'department_head', 'deputy_head', 'head')")
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint('status', type_='check')
        batch_op.create_check_constraint('status', f"status IN ({NEW_STATUSES})")


def downgrade():
    op.execute("UPDATE applications SET status = 'withdrawn' WHERE status IN ('invited', 'declined')")
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint('status', type_='check')
        batch_op.create_check_constraint('status', f"status IN ({OLD_STATUSES})")
    with op.batch_alter_table('trainee_profiles', schema=None) as batch_op:
        batch_op.drop_constraint('position_level', type_='check')
        batch_op.drop_column('position_level')
