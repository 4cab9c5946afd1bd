from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.accounts.forms import ROLE_LABELS, StaffUserForm
from lms.accounts.models import User
from lms.accounts.services import create_user
from lms.web import role_required
from lms.core.errors import ValidationFailed
from lms.core.forms import apply_errors, options
from lms.core.pagination import paginate
from lms.extensions import db
from lms.orgs.models import Enterprise, Institution, Region
from lms.accounts import bp


SCOPE_MODELS = {"region": Region, "institution": Institution, "enterprise": Enterprise}


def _scope_choices() -> list[tuple[str, str]]:
    choices = [("", _("（无）"))]
    choices += [(f"region:{r.id}", _("行政区划") + f" · {r.full_name}")
                for r in db.session.scalars(select(Region).order_by(Region.path))]
    choices += [(f"institution:{i.id}", _("承办机构") + f" · {i.name}")
                for i in db.session.scalars(select(Institution).order_by(Institution.code))]
    choices += [(f"enterprise:{e.id}", _("企业") + f" · {e.name}")
                for e in db.session.scalars(select(Enterprise).order_by(Enterprise.name))]
    return choices


def _scope_object(value: str):
    kind, _sep, ident = (value or "").partition(":")
    if kind not in SCOPE_MODELS or not ident.isdigit():
        return None
    return db.session.get(SCOPE_MODELS[kind], int(ident))


@bp.route("/admin/users")
@role_required("admin")
def users():
    query = request.args.get("q", "").strip()
    stmt = select(User).order_by(User.username)
    if query:
        stmt = stmt.where(User.username.ilike(f"%{query}%") | User.name.ilike(f"%{query}%"))
    return render_template("accounts/users.html", page=paginate(stmt, request.args.get("page")),
                           query=query, role_labels=ROLE_LABELS)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@role_required("admin")
def new_user():
    form = StaffUserForm()
    form.scope.choices = options(_scope_choices())
    if form.validate_on_submit():
        try:
            create_user(current_user, form.username.data, form.password.data, form.name.data,
                        form.phone.data, form.role.data, _scope_object(form.scope.data))
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("账户已创建"), "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", form=form)
