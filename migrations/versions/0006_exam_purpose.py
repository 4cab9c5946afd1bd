"""exam purpose: formal (counts towards the certificate) or practice

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 13:21:09

"""
from alembic import op
import sqlalchemy as sa

import lms.core.time  # noqa: F401 - as in every revision


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # Existing exams become formal: before this revision every exam counted.
    with op.batch_alter_table('exams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.String(length=16), server_default='formal', nullable=False))
        batch_op.create_check_constraint('purpose', "purpose IN ('formal', 'practice')")


def downgrade():
    with op.batch_alter_table('exams', schema=None) as batch_op:
        batch_op.drop_constraint('purpose', type_='check')
        batch_op.drop_column('purpose')
