"""Signing in and out, registration, password change, and the self-service reset pages."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from lms.accounts import invitations, privacy
from lms.accounts.passwords import password_problems
from lms.accounts.services import register_trainee
from lms.auth import bp, resets
from lms.auth.forms import ForgotPasswordForm, LoginForm, PasswordChangeForm, RegisterForm, ResetPasswordForm
from lms.auth.services import authenticate, change_password
from lms.auth.sessions import end_session, start_session
from lms.core.mail import mail_configured
from lms.core.masking import mask_phone
from lms.extensions import limiter
from lms.web import attempt, safe_next


CONSENT_FIELD = {"privacy_consent": "consent"}  # the service names the API field
PASSWORD_RULES = _l("密码规则：至少8位；同时包含字母和数字；不能与用户名相同；不能是常见密码。")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


# One per-address budget for everything that takes a password or an account name: the login page,
# the API token (lms.auth.api), registration and password-reset requests; held in Redis with REDIS_URL.
login_budget = limiter.shared_limit(_login_limit, scope="login", methods=["POST"])


def _sign_in(user) -> None:
    start_session(user, request.remote_addr, request.user_agent.string)
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
@login_budget
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = authenticate(form.username.data, form.password.data, request.remote_addr)
        if result.user is not None:
            _sign_in(result.user)
            return redirect(safe_next(request.args.get("next")))
        form.form_errors.append(result.error)  # answered, not raised: the attempt is recorded
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        end_session(current_user.session_key)
    logout_user()
    flash(_("您已退出登录"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
@login_budget
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        with attempt(form, CONSENT_FIELD) as done:
            user = register_trainee(form.username.data, form.password.data, form.name.data, form.phone.data,
                                    form.email.data, consent=form.consent.data, confirm=form.confirm.data)
        if done.ok:
            _sign_in(user)
            flash(_("注册成功，欢迎使用"), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/register.html", form=form, notice=privacy.NOTICE,
                           notice_version=privacy.NOTICE_VERSION, rules=PASSWORD_RULES)


@bp.route("/privacy")
def privacy_notice():
    return render_template("auth/privacy.html", notice=privacy.NOTICE, notice_version=privacy.NOTICE_VERSION)


@bp.route("/invite/<token>", methods=["GET", "POST"])
@login_budget
def invitation(token: str):
    """An enterprise's invitation: the person creates their account (or, signed in, joins with it)."""
    invited = invitations.open_invitation(token)
    if invited is None:
        return render_template("auth/invitation_invalid.html"), 404
    enterprise = invited.enterprise
    if current_user.is_authenticated:
        if request.method == "POST":
            with attempt() as done:
                invitations.accept(token, current_user)
            if done.ok:
                flash(_("您已加入%(enterprise)s", enterprise=enterprise.name), "success")
                return redirect(url_for("main.index"))
        return render_template("auth/invitation_join.html", enterprise=enterprise, phone=mask_phone(invited.phone),
                               phone_matches=current_user.phone == invited.phone)
    form = RegisterForm()
    if request.method == "GET":
        form.phone.data, form.name.data = invited.phone, invited.name
    if form.validate_on_submit():
        with attempt(form, CONSENT_FIELD) as done:
            user = register_trainee(form.username.data, form.password.data, form.name.data, form.phone.data,
                                    form.email.data, consent=form.consent.data, invitation=token,
                                    confirm=form.confirm.data)
        if done.ok:
            _sign_in(user)
            flash(_("注册成功，您已加入%(enterprise)s。请填写个人资料，单位已为您填好。", enterprise=enterprise.name),
                  "success")
            return redirect(url_for("enrollment.profile"))
    return render_template("auth/register.html", form=form, notice=privacy.NOTICE,
                           notice_version=privacy.NOTICE_VERSION, enterprise=enterprise, rules=PASSWORD_RULES)


def _password_rules_too(form, username: str = "") -> None:
    """A form refused before the service ran (say, the two passwords differ) still reports every
    rule the new password breaks, so the user fixes everything in one go."""
    typed = form.new_password.data or ""
    if form.is_submitted() and typed and not form.new_password.errors:
        if problems := password_problems(typed, username):
            form.new_password.errors = list(form.new_password.errors) + [str(problems)]


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            change_password(current_user, form.current_password.data, form.new_password.data)
        if done.ok:
            flash(_("密码已修改，其他设备上的登录已失效"), "success")
            return redirect(url_for("main.index"))
    else:
        _password_rules_too(form, current_user.username)
    return render_template("auth/password.html", form=form, rules=PASSWORD_RULES)


@bp.route("/password/forgot", methods=["GET", "POST"])
@login_budget
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        resets.request_reset(form.identifier.data, str(get_locale() or current_app.config["DEFAULT_LOCALE"]))
        if mail_configured():  # the same answer whatever was typed; it depends on the configuration only
            flash(_("如果该账户存在且登记了电子邮箱，重置密码的链接已发往该邮箱，%(minutes)s分钟内有效。"
                    "没有登记邮箱的账户请联系管理员重置密码。", minutes=current_app.config["PASSWORD_RESET_MINUTES"]),
                  "info")
        else:
            flash(_("本系统未配置电子邮件，重置链接已记入服务器日志。请联系管理员或区局工作人员为您重置密码。"), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@login_budget
def reset_password(token: str):
    if not resets.link_is_valid(token):
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            resets.reset_password(token, form.new_password.data)
        if done.ok:
            logout_user()  # whoever was signed in in this browser: the reset ended every session
            flash(_("密码已重置，请用新密码登录"), "success")
            return redirect(url_for("auth.login"))
    else:
        _password_rules_too(form)
    return render_template("auth/reset.html", form=form, rules=PASSWORD_RULES)
