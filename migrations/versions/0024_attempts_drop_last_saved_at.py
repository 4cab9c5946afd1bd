"""attempts.last_saved_at dropped: it was written by every save only so that the save's guard UPDATE
had something to set (it took the attempt's row lock), and nothing read it. A save now holds the
attempt with its read (FOR SHARE on PostgreSQL) and stores the answer with its score in one
conditional UPDATE (lms.exams.attempts). When an answer was last saved is the items' saved_at.

No data change: answers saved before this version carry no score; the submit scores those when it
closes the attempt (lms.exams.grading.score_attempt).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 11:00:00

"""
import sqlalchemy as sa
from alembic import op

import lms.core.time


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('last_saved_at')


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_saved_at', lms.core.time.UTCDateTime(timezone=True), nullable=True))
