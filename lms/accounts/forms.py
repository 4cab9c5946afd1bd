from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from lms.core.forms import options

ROLE_LABELS = {
    "admin": _l("管理员（市/省局）"),
    "bureau": _l("区局工作人员"),
    "institution": _l("承办机构工作人员"),
    "grader": _l("阅卷教师"),
    "enterprise": _l("企业人事联系人"),
    "trainee": _l("学员"),
}


class StaffUserForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=64)])
    phone = StringField(_l("手机号码"), validators=[Optional(), Length(max=20)])
    password = PasswordField(_l("初始密码"), validators=[DataRequired(), Length(max=128)])
    role = SelectField(_l("角色"), choices=options(ROLE_LABELS.items()))
    scope = SelectField(_l("范围（行政区划/承办机构/企业）"), choices=[], validate_choice=False)
