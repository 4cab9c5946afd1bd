from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired(), Length(max=128)])


class RegisterForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=64)])
    phone = StringField(_l("手机号码"), validators=[DataRequired(), Length(max=20)])
    password = PasswordField(_l("密码"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(_l("确认密码"), validators=[DataRequired(), EqualTo("password", message=_l("两次输入的密码不一致"))])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("当前密码"), validators=[DataRequired()])
    new_password = PasswordField(_l("新密码"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(_l("确认新密码"), validators=[DataRequired(), EqualTo("new_password", message=_l("两次输入的密码不一致"))])
