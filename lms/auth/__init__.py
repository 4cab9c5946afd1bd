"""Signing in and out (server-side sessions, throttles, the account lock), password change and
self-service reset, API bearer tokens."""
from flask import Blueprint, Flask, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

bp = Blueprint("auth", __name__, template_folder="templates")

# What a user who must change a temporary password may still open (and every API path)
BEFORE_PASSWORD_CHANGE = {"static", "auth.password", "auth.logout", "main.set_language"}


def init_app(app: Flask) -> None:
    from lms.accounts.admin import set_access_ender
    from lms.api.base import set_token_id_resolver, set_token_resolver
    from lms.auth import api, models, views, views_account  # noqa: F401
    from lms.auth.cli import prune_tokens_command
    from lms.auth.services import end_access
    from lms.auth.sessions import load_session_user
    from lms.auth.tokens import user_for_token, user_id_for_token
    from lms.cli import lms_group
    from lms.extensions import login_manager

    set_token_resolver(user_for_token)
    set_token_id_resolver(user_id_for_token)
    set_access_ender(end_access)
    login_manager.user_loader(load_session_user)
    lms_group.add_command(prune_tokens_command)
    app.register_blueprint(bp)


@bp.before_app_request
def _temporary_password_first():
    """An administrator's temporary password is changed before anything else is done."""
    if request.endpoint in BEFORE_PASSWORD_CHANGE or request.path.startswith("/api/"):
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        flash(_("请先设置您自己的新密码，以替换管理员给出的临时密码"), "info")
        return redirect(url_for("auth.password"))
    return None
