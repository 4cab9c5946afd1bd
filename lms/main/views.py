"""Landing page, each role's home page, language switch, health check."""
from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import text

from lms.dashboard import panels_for, todos_for
from lms.extensions import db
from lms.main import bp
from lms.main.services import HOME_TITLES, home_context, home_role

LANGUAGES = {"zh_CN", "en"}


@bp.route("/")
def index():
    if not current_user.is_authenticated or not current_user.roles:
        return render_template("main/landing.html")
    return redirect(url_for("main.home", role=current_user.roles[0]))


@bp.route("/home/<role>")
@login_required
def home(role: str):
    role = home_role(current_user, role)
    if role is None:
        abort(404)
    panels = [(template.split("/")[0], Markup(render_template(template, **values)))  # noqa: S704 - (its domain, its autoescaped HTML)
              for template, values in panels_for(role, current_user)]
    return render_template(f"main/home_{role.value}.html", role=role, title=HOME_TITLES[role], panels=panels,
                           todos=todos_for(role.value, current_user),
                           **home_context(current_user, role))


@bp.route("/lang/<code>", methods=["POST"])
def set_language(code: str):
    if code not in LANGUAGES:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        current_user.locale = code
    target = request.referrer or ""
    if not target.startswith(request.host_url):
        target = url_for("main.index")
    return redirect(target)


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok"}


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask the root for it; the file is vendored in static/ (drawn from the shipped CJK font)."""
    return current_app.send_static_file("favicon.ico")
