"""Role checks for web views (the API checks roles in its services)."""
from functools import wraps

from flask_login import current_user, login_required

from lms.core.permissions import require_role


def role_required(*roles: str):
    """Logged-in users holding one of `roles`; others get the 403 page, anonymous users the login page."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            require_role(current_user, *roles)
            return view(*args, **kwargs)

        return wrapped

    return decorator
