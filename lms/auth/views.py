from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lms.accounts.services import register_trainee
from lms.auth.forms import LoginForm, PasswordChangeForm, RegisterForm
from lms.auth.services import authenticate, change_password
from lms.core.errors import ValidationFailed
from lms.core.forms import apply_errors
from lms.extensions import db, limiter
from lms.auth import bp



def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = authenticate(form.username.data, form.password.data, request.remote_addr)
        db.session.commit()  # record the attempt, success or not
        if result.user is not None:
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")))
        form.form_errors.append(result.error)
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
        try:
            user = register_trainee(form.username.data, form.password.data, form.name.data, form.phone.data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(_("注册成功，欢迎使用"), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.new_password.data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # keep this session, with the new id
            flash(_("密码已修改，其他设备上的登录已失效"), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)
