"""Web pages of enrollment: one blueprint, routes split by audience."""
from flask import Blueprint
from flask_login import current_user

bp = Blueprint("enrollment", __name__, template_folder="templates")


@bp.app_context_processor
def _unread_notifications():
    if not current_user or not current_user.is_authenticated:
        return {"unread_notifications": 0}
    from lms.enrollment.notifications import unread_count

    return {"unread_notifications": unread_count(current_user)}


from lms.enrollment import views_enterprise, views_staff, views_trainee  # noqa: E402,F401
