from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lms.accounts.services import register_trainee
from lms.auth import bp
from lms.auth.forms import LoginForm, PasswordChangeForm, RegisterForm
from lms.auth.services import authenticate, change_password
from lms.extensions import limiter
from lms.web import attempt, safe_next


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = authenticate(form.username.data, form.password.data, request.remote_addr)
        if result.user is not None:
            login_user(result.user)
            return redirect(safe_next(request.args.get("next")))
        form.form_errors.append(result.error)  # the page is answered normally: the attempt is recorded
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("您已退出登录"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            user = register_trainee(form.username.data, form.password.data, form.name.data, form.phone.data)
        if done.ok:
            login_user(user)
            flash(_("注册成功，欢迎使用"), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            change_password(current_user, form.current_password.data, form.new_password.data)
        if done.ok:
            login_user(current_user._get_current_object())  # keep this session, with the new id
            flash(_("密码已修改，其他设备上的登录已失效"), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)
