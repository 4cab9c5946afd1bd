"""`flask lms close-overdue`: finalize every attempt past its deadline (cron, every minute)."""
from __future__ import annotations

import click
from flask_babel import ngettext
from flask.cli import with_appcontext

from lms.cli import lms_group
from lms.extensions import db


@lms_group.command("close-overdue")
@with_appcontext
def close_overdue_command() -> None:
    """Close attempts past deadline + grace, each exactly once; prints how many this run closed."""
    from lms.exams.services import close_overdue

    closed = close_overdue(after_each=db.session.commit)  # one short transaction per attempt
    db.session.commit()
    click.echo(ngettext("已自动交卷 %(num)s 份超时答卷。", "已自动交卷 %(num)s 份超时答卷。", closed))
