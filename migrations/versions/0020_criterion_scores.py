"""essays graded per rubric criterion: the points given on each criterion of an answer

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 05:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('criterion_scores', sa.JSON(none_as_null=True), nullable=True))


def downgrade():
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_column('criterion_scores')
