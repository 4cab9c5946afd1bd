"""Landing page, each role's home page, language switch, health check."""
from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import func, select, text

from lms.accounts.models import ROLES, User
from lms.core.permissions import institution_ids
from lms.dashboard import panels_for
from lms.extensions import db
from lms.orgs import services as orgs
from lms.orgs.models import Enterprise, Institution, Region
from lms.main import bp


LANGUAGES = {"zh_CN", "en"}


@bp.route("/")
def index():
    if not current_user.is_authenticated or not current_user.roles:
        return render_template("main/landing.html")
    return redirect(url_for("main.home", role=current_user.roles[0]))


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


@bp.route("/home/<role>")
@login_required
def home(role: str):
    if role not in ROLES or not current_user.has_role(role):
        abort(404)
    context: dict = {"role": role}
    if role == "admin":
        context["counts"] = {
            "regions": _count(select(Region)),
            "institutions": _count(select(Institution)),
            "enterprises": _count(select(Enterprise)),
            "users": _count(select(User)),
        }
    elif role == "bureau":
        context["regions"] = [g.region for g in current_user.grants_for("bureau")]
        context["enterprise_count"] = _count(orgs.visible_enterprises(current_user))
    elif role in {"institution", "grader"}:
        context["institutions"] = db.session.scalars(
            select(Institution).where(Institution.id.in_(sorted(institution_ids(current_user, role)) or [-1]))
        ).all()
    elif role == "enterprise":
        context["enterprises"] = [g.enterprise for g in current_user.grants_for("enterprise")]
    panels = [Markup(render_template(template, **values)) for template, values in panels_for(role, current_user)]
    return render_template(f"main/home_{role}.html", panels=panels, **context)


@bp.route("/lang/<code>", methods=["POST"])
def set_language(code: str):
    if code not in LANGUAGES:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
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
