"""attempt items updated in place: the separate attempt_id index is dropped (both unique keys of
attempt_items start with attempt_id and serve its lookups and the cascade), and on PostgreSQL the
table's pages are filled to half (fillfactor 50, for pages written from now on), so a save's or the
submit's scoring update of an item stays on its page and writes no index entry (docs/benchmarks.md)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 09:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempt_items_attempt_id'))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE attempt_items SET (fillfactor = 50)')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE attempt_items RESET (fillfactor)')
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_items_attempt_id'), ['attempt_id'], unique=False)
