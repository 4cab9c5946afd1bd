from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.accounts import bp, services
from lms.accounts.forms import StaffUserForm
from lms.accounts.models import User
from lms.core.forms import options
from lms.core.pagination import paginate
from lms.web import attempt, role_required


def _scope_choices():
    """("kind:id", "行政区划 · 上海市长宁区") for every region, institution and enterprise."""
    return options([("", _("（无）"))] + [
        (value, f"{kind_label} · {getattr(obj, 'full_name', obj.name)}")
        for value, kind_label, obj in services.scope_options()])


@bp.route("/admin/users")
@role_required("admin")
def users():
    query = request.args.get("q", "").strip()
    page = paginate(services.search_users(select(User).order_by(User.username), query), request.args.get("page"))
    return render_template("accounts/users.html", page=page, query=query)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@role_required("admin")
def new_user():
    form = StaffUserForm()
    form.scope.choices = _scope_choices()
    if form.validate_on_submit():
        with attempt(form) as done:
            services.create_user(current_user, form.username.data, form.password.data, form.name.data,
                                 form.phone.data, form.role.data, services.scope_object(form.scope.data))
        if done.ok:
            flash(_("账户已创建"), "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", form=form)
