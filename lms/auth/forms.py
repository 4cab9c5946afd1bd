from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

PASSWORDS_DIFFER = _l("两次输入的密码不一致")


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired(), Length(max=128)])


class RegisterForm(FlaskForm):
    """Only lengths here: the service checks everything else, so every problem is reported at once."""
    username = StringField(_l("用户名"), validators=[Length(max=32)])
    name = StringField(_l("姓名"), validators=[Length(max=64)])
    phone = StringField(_l("手机号码"), validators=[Length(max=20)])
    email = EmailField(_l("电子邮箱（选填，用于找回密码）"), validators=[Optional(), Length(max=254)])
    password = PasswordField(_l("密码"), validators=[Length(max=128)])
    confirm = PasswordField(_l("确认密码"), validators=[Length(max=128)])
    consent = BooleanField(_l("我已阅读并同意《个人信息处理规则》"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("当前密码"), validators=[DataRequired()])
    new_password = PasswordField(_l("新密码"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(_l("确认新密码"),
                            validators=[DataRequired(), EqualTo("new_password", message=PASSWORDS_DIFFER)])


class ForgotPasswordForm(FlaskForm):
    identifier = StringField(_l("用户名、手机号码或电子邮箱"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(_l("新密码"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(_l("确认新密码"),
                            validators=[DataRequired(), EqualTo("new_password", message=PASSWORDS_DIFFER)])


class EmailForm(FlaskForm):
    email = EmailField(_l("电子邮箱"), validators=[Optional(), Length(max=254)])
