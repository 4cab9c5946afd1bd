"""The signed-in user's own account page: e-mail for password resets, where they are signed in,
and their API tokens, each of which they can end."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import privacy
from lms.accounts.services import update_own_email
from lms.auth import bp
from lms.auth.forms import EmailForm
from lms.auth.sessions import end_own_session, is_current, live_sessions
from lms.auth.tokens import live_tokens, revoke_own_token
from lms.web import attempt

# product names, the same in every language
BROWSERS = (("MicroMessenger", "WeChat"), ("DingTalk", "DingTalk"), ("Edg/", "Edge"), ("Firefox/", "Firefox"),
            ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
           ("Mac OS X", "macOS"), ("Linux", "Linux"))


@bp.app_template_filter("device")
def device(user_agent: str | None) -> str:
    """"Chrome · Android" from a user agent string, for people to recognize their devices."""
    agent = user_agent or ""
    names = [next((name for marker, name in table if marker in agent), None) for table in (BROWSERS, SYSTEMS)]
    return " · ".join(name for name in names if name) or agent[:40] or "—"


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = EmailForm(obj=current_user)
    if form.validate_on_submit():
        with attempt(form) as done:
            update_own_email(current_user, form.email.data or "")
        if done.ok:
            flash(_("电子邮箱已保存"), "success")
            return redirect(url_for("auth.account"))
    sessions = [(record, is_current(record, current_user.session_key)) for record in live_sessions(current_user)]
    return render_template("auth/account.html", form=form, sessions=sessions, tokens=live_tokens(current_user),
                           consent=privacy.latest_consent(current_user), notice_version=privacy.NOTICE_VERSION)


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int):
    if not end_own_session(current_user, session_id):
        abort(404)
    flash(_("已退出该设备上的登录"), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    if not revoke_own_token(current_user, token_id):
        abort(404)
    flash(_("令牌已撤销，使用它的应用需要重新登录"), "success")
    return redirect(url_for("auth.account"))
