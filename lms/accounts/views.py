"""Account administration: /admin/users (administrators: every account; bureau officers: the
people of their region, see lms.accounts.admin), and new staff accounts (administrators)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts import admin, bp, services
from lms.accounts.forms import ContactForm, StaffUserForm
from lms.core.forms import options
from lms.core.pagination import paginate
from lms.web import attempt, role_required


def _scope_choices():
    """("kind:id", "行政区划 · 上海市长宁区") for every region, institution and enterprise."""
    return options([("", _("（无）"))] + [
        (value, f"{kind_label} · {getattr(obj, 'full_name', obj.name)}")
        for value, kind_label, obj in services.scope_options()])


@bp.route("/admin/users")
@role_required("admin", "bureau")
def users():
    query = request.args.get("q", "").strip()
    page = paginate(services.search_users(admin.manageable_users(current_user), query), request.args.get("page"))
    return render_template("accounts/users.html", page=page, query=query, status_of=admin.status_of,
                           can_create=services.can_create_accounts(current_user))


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


def _user_page(user, form=None, temporary_password=None):
    return render_template("accounts/user.html", user=user, form=form or ContactForm(obj=user),
                           status=admin.status_of(user), temporary_password=temporary_password,
                           can_end_all_access=admin.can_end_all_access(current_user))


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin", "bureau")
def user(user_id: int):
    user = admin.get_managed_user(current_user, user_id)
    form = ContactForm(obj=user)
    if form.validate_on_submit():
        with attempt(form) as done:
            admin.update_contact(current_user, user, form.name.data, form.phone.data, form.email.data)
        if done.ok:
            flash(_("账户信息已保存"), "success")
            return redirect(url_for("accounts.user", user_id=user.id))
    return _user_page(user, form)


@bp.route("/admin/users/<int:user_id>/<any(disable, enable, unlock, sign_out):action>", methods=["POST"])
@role_required("admin", "bureau")
def user_action(user_id: int, action: str):
    user = admin.get_managed_user(current_user, user_id)
    with attempt() as done:
        if action in ("disable", "enable"):
            admin.set_active(current_user, user, action == "enable")
        elif action == "unlock":
            admin.unlock(current_user, user)
        else:
            admin.end_all_access(current_user, user)
    if done.ok:
        flash({"disable": _("账户已停用，其所有登录和令牌已失效"), "enable": _("账户已启用"),
               "unlock": _("账户已解除锁定"), "sign_out": _("该账户的所有登录和令牌已失效")}[action], "success")
    return redirect(url_for("accounts.user", user_id=user.id))


@bp.route("/admin/users/<int:user_id>/temporary-password", methods=["POST"])
@role_required("admin", "bureau")
def temporary_password(user_id: int):
    user = admin.get_managed_user(current_user, user_id)
    with attempt() as done:
        password = admin.give_temporary_password(current_user, user)
    if not done.ok:
        return redirect(url_for("accounts.user", user_id=user.id))
    return _user_page(user, temporary_password=password)  # shown once, in this answer only
