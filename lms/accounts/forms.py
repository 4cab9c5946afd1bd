from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from lms.accounts.roles import Role


class StaffUserForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=64)])
    phone = StringField(_l("手机号码"), validators=[Optional(), Length(max=20)])
    password = PasswordField(_l("初始密码"), validators=[DataRequired(), Length(max=128)])
    role = SelectField(_l("角色"), choices=Role.choices())
    scope = SelectField(_l("范围（行政区划/承办机构/企业）"), choices=[], validate_choice=False)


class ContactForm(FlaskForm):
    name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=64)])
    phone = StringField(_l("手机号码"), validators=[Optional(), Length(max=20)])
    email = EmailField(_l("电子邮箱"), validators=[Optional(), Length(max=254)])
