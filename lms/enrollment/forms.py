from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, DecimalField, HiddenField, IntegerField, SelectField, StringField, TextAreaField,
                     TimeField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from wtforms.fields.choices import SelectChoice

from lms.enrollment.enums import Gender
from lms.programs.facts import AppointmentStatus, EducationLevel, PositionLevel, TitleLevel

# a profile saved before the position level was asked shows this until it is chosen
CHOOSE = [SelectChoice(value="", label=_l("请选择"))]


class ProfileForm(FlaskForm):
    name = StringField(_l("姓名"), validators=[Length(max=64)])
    gender = SelectField(_l("性别"), choices=Gender.choices(), validate_choice=False)
    id_number = StringField(_l("身份证号码"), validators=[Length(max=18)])
    phone = StringField(_l("手机号码"), validators=[Length(max=20)])
    enterprise_uscc = StringField(_l("单位统一社会信用代码"), validators=[Length(max=18)])
    enterprise_name = StringField(_l("单位名称"), validators=[Length(max=128)])
    position = StringField(_l("职务"), validators=[Length(max=64)])
    position_level = SelectField(_l("职务层级"), choices=CHOOSE + PositionLevel.choices(), validate_choice=False)
    education = SelectField(_l("学历"), choices=EducationLevel.choices(), validate_choice=False)
    major = StringField(_l("所学专业"), validators=[Length(max=64)])
    standardization_major = BooleanField(_l("所学专业为标准化专业（或具有标准化学科背景）"))
    title_level = SelectField(_l("专业技术职称"), choices=TitleLevel.choices(), validate_choice=False)
    standardization_years = StringField(_l("标准化工作年限（年）"))
    appointment_status = SelectField(_l("任职状态"), choices=AppointmentStatus.choices(), validate_choice=False)


class UploadForm(FlaskForm):
    file = FileField(_l("文件"))


class PhotoForm(FlaskForm):
    photo = FileField(_l("证件照（JPEG 或 PNG）"))


class CohortForm(FlaskForm):
    code = StringField(_l("班次编号"), validators=[DataRequired(), Length(max=32)])
    title = StringField(_l("班次名称"), validators=[DataRequired(), Length(max=128)])
    program_id = SelectField(_l("研修班项目"), coerce=int)
    institution_id = SelectField(_l("承办机构"), coerce=int)
    region_id = SelectField(_l("举办地（行政区划）"), coerce=int)
    starts_on = DateField(_l("开班日期"), validators=[Optional()])
    ends_on = DateField(_l("结业日期"), validators=[Optional()])
    applications_open_on = DateField(_l("报名开始日期"), validators=[Optional()])
    applications_close_on = DateField(_l("报名截止日期"), validators=[Optional()])
    capacity = IntegerField(_l("招收人数"), validators=[Optional()])
    place = StringField(_l("上课地点"), validators=[Optional(), Length(max=128)])
    admission_notice = TextAreaField(_l("开班须知（录取后学员可见：报到时间地点、携带材料、联系方式等）"),
                                     validators=[Optional(), Length(max=5000)])


class SessionForm(FlaskForm):
    module_id = SelectField(_l("课程模块"), coerce=int)
    teacher_id = SelectField(_l("授课教师"), coerce=int)
    day = DateField(_l("日期"), validators=[Optional()])
    begins = TimeField(_l("上课时间"), validators=[Optional()])
    ends = TimeField(_l("下课时间"), validators=[Optional()])
    hours = DecimalField(_l("学时"), places=1, validators=[Optional(), NumberRange(min=0)])
    place = StringField(_l("地点"), validators=[Optional(), Length(max=128)])


class DecisionForm(FlaskForm):
    note = TextAreaField(_l("审核意见（不予录取时必填）"), validators=[Optional(), Length(max=1000)])


class NominationForm(FlaskForm):
    trainee_id = SelectField(_l("员工"), coerce=int)
    cohort_id = SelectField(_l("班次"), coerce=int)
    # "1" once HR has read the warnings (e.g. already certified) and still nominates
    confirmed = HiddenField()
