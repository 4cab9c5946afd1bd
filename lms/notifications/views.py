"""/notifications: the signed-in user's notifications; the unread count in the navigation."""
from flask import render_template
from flask_login import current_user, login_required

from lms.notifications import bp, services


@bp.app_context_processor
def _unread_notifications():
    if not current_user or not current_user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": services.unread_count(current_user)}


@bp.route("/notifications")
@login_required
def notifications():
    items = services.notifications_for(current_user)
    unread = {n.id for n in items if n.read_at is None}
    services.mark_all_read(current_user)
    return render_template("notifications/list.html", items=items, unread=unread)
