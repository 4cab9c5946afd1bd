from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from lms.appointments.models import EndReason
from lms.core.forms import options
from lms.orgs.attributes import Honour, Industry, Ownership
from lms.programs.models import ProgramLevel

FULL_TIME_CHOICES = [("1", _l("专职")), ("0", _l("兼职"))]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AppointmentForm(FlaskForm):
    person_id = SelectField(_l("员工"), coerce=int, validate_choice=False)
    post_code = SelectField(_l("岗位"), validate_choice=False)
    starts_on = DateField(_l("聘任日期"), validators=[Optional()])
    full_time = SelectField(_l("专职/兼职"), choices=options(FULL_TIME_CHOICES), validate_choice=False)
    document_no = StringField(_l("聘任文件文号"), validators=[Length(max=64)])
    letter = FileField(_l("聘任文件扫描件（可选，PDF、JPEG 或 PNG，不超过 5 MB）"))


class EndForm(FlaskForm):
    ended_on = DateField(_l("解聘日期"), validators=[Optional()])
    reason = SelectField(_l("结束原因"), choices=options([("", _l("请选择"))]) + EndReason.choices(),
                         validate_choice=False)
    note = TextAreaField(_l("说明（可选）"), validators=[Length(max=500)])


class PostForm(FlaskForm):
    code = StringField(_l("岗位代码"), validators=[Length(max=32)])
    title = StringField(_l("岗位名称"), validators=[Length(max=64)])
    region_id = SelectField(_l("所属行政区划"), coerce=int, validate_choice=False)
    levels = CheckboxesField(_l("可任职的培训项目层级"), choices=ProgramLevel.choices(), validate_choice=False)
    rank = IntegerField(_l("排序（数字小的在前）"), default=1, validators=[Optional()])
    usual_count = IntegerField(_l("每个企业通常配备人数（留空为不限）"), validators=[Optional()])
    description = TextAreaField(_l("岗位说明"), validators=[Length(max=2000)])


class EnterpriseProfileForm(FlaskForm):
    name = StringField(_l("企业名称"), validators=[Length(max=128)])
    industry_section = SelectField(_l("国民经济行业门类（GB/T 4754-2017）"),
                                   choices=options([("", _l("未登记"))]) + Industry.choices(), validate_choice=False)
    ownership = SelectField(_l("企业性质"), choices=options([("", _l("未登记"))]) + Ownership.choices(),
                            validate_choice=False)
    honours = CheckboxesField(_l("标准化荣誉"), choices=Honour.choices(), validate_choice=False)


class InviteForm(FlaskForm):
    phone = StringField(_l("员工手机号码"), validators=[Length(max=20)])
    name = StringField(_l("员工姓名（选填）"), validators=[Length(max=64)])
