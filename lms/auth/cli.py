"""`flask lms prune-tokens`: delete what can no longer be used (cron, e.g. daily)."""
import click
from flask.cli import with_appcontext

from lms.extensions import db


@click.command("prune-tokens")
@with_appcontext
def prune_tokens_command() -> None:
    """Delete expired or revoked API tokens, used or expired password-reset links and idle sessions."""
    from lms.auth.resets import prune_links
    from lms.auth.sessions import prune_sessions
    from lms.auth.tokens import prune_tokens
    from lms.core.time import utcnow

    now = utcnow()
    tokens, links, sessions = prune_tokens(now), prune_links(now), prune_sessions(now)
    db.session.commit()
    click.echo(f"deleted: {tokens} API tokens, {links} password-reset links, {sessions} idle sessions")
