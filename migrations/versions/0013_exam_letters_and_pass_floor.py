"""exam option letters (open attempts keep the bank's keys); the programme's pass mark floors formal exams

Revision ID: 0013
Revises: 0011
Create Date: 2026-11-26 10:00:00.000000

Option letters: responses stay stored in the bank's option keys, so nothing stored is rewritten.
Attempts in progress now were started by pages that send the bank's keys (and may hold queued
answers in the browser): they are marked `bank_letters` and keep speaking those keys until they
close (docs/architecture.md, "Exam option letters").

Unified assessment (统一考核要求): a formal exam whose pass mark is below its programme's
`exam_pass_mark` is raised to it, and its graded attempts are judged again by that mark (what the
certificate requirement reads since this revision). Each raised exam is logged.
"""
import logging

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0011'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

PROGRAMME_MARK = ("(SELECT p.exam_pass_mark FROM cohorts c JOIN programs p ON p.id = c.program_id "
                  "WHERE c.id = exams.cohort_id)")


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bank_letters', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(sa.text("UPDATE attempts SET bank_letters = :yes WHERE status = 'in_progress'").bindparams(yes=True))

    connection = op.get_bind()
    below = connection.execute(sa.text(
        f"SELECT id, pass_mark, {PROGRAMME_MARK} FROM exams WHERE purpose = 'formal' AND pass_mark < {PROGRAMME_MARK}"
    )).all()
    for exam_id, old, new in below:
        connection.execute(sa.text("UPDATE exams SET pass_mark = :mark WHERE id = :id"), {"mark": new, "id": exam_id})
        changed = connection.execute(sa.text(
            "UPDATE attempts SET passed = :no WHERE exam_id = :id AND status = 'graded' AND passed = :yes "
            "AND NOT (max_score > 0 AND score + 0.000000001 >= max_score * :mark / 100.0)"),
            {"mark": new, "id": exam_id, "yes": True, "no": False}).rowcount
        log.warning("exam %s: pass mark raised from %s to its programme's %s; %s graded attempt(s) no longer pass",
                    exam_id, old, new, changed)


def downgrade():
    # Raised pass marks and re-judged attempts stay as they are: the lower marks were not kept.
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('bank_letters')
