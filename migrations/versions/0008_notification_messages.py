"""notifications are stored as a message id with parameters, rendered in the reader's language

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 02:00:00

Rows written before keep their text in `message` and are shown as they are.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
        batch_op.alter_column('message', existing_type=sa.String(length=500), server_default='',
                              existing_nullable=False)


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.alter_column('message', existing_type=sa.String(length=500), server_default=None,
                              existing_nullable=False)
        batch_op.drop_column('params')
        batch_op.drop_column('message_id')
