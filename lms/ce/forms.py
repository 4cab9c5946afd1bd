"""Forms of the CE pages. Checks live in the services; fields here only carry the input."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import Optional

from lms.ce.enums import ActivityKind, Category, ClaimDecision, ClaimKind, LessonKind


class ActivityForm(FlaskForm):
    title = StringField(_l("活动名称"))
    kind = SelectField(_l("形式"), choices=ActivityKind.choices(), validate_choice=False)
    category = SelectField(_l("科目类别"), choices=Category.choices(), validate_choice=False)
    starts_on = DateField(_l("开始日期"), validators=[Optional()])
    starts_time = TimeField(_l("开始时间"), validators=[Optional()])
    ends_on = DateField(_l("结束日期"), validators=[Optional()])
    ends_time = TimeField(_l("结束时间"), validators=[Optional()])
    place = StringField(_l("地点"))
    hours = StringField(_l("学时"))
    capacity = StringField(_l("名额"))
    organizer = SelectField(_l("组织方"), validate_choice=False)
    description = TextAreaField(_l("简介"))


class ClaimForm(FlaskForm):
    kind = SelectField(_l("类型"), choices=ClaimKind.choices(), validate_choice=False)
    title = StringField(_l("名称"))
    category = SelectField(_l("科目类别"), choices=Category.choices(), validate_choice=False)
    happened_on = DateField(_l("开始日期"), validators=[Optional()])
    ended_on = DateField(_l("结束日期（一天的可不填）"), validators=[Optional()])
    hours = StringField(_l("申报学时"))
    proof = FileField(_l("证明材料（PDF、JPEG 或 PNG）"))


class DecisionForm(FlaskForm):
    decision = SelectField(_l("审核结果"), choices=ClaimDecision.choices(), validate_choice=False)
    hours = StringField(_l("核定学时（可少于申报学时）"))
    note = TextAreaField(_l("意见（不通过时必填）"))


class CourseForm(FlaskForm):
    title = StringField(_l("课程名称"))
    category = SelectField(_l("科目类别"), choices=Category.choices(), validate_choice=False)
    hours = StringField(_l("学时"))
    description = TextAreaField(_l("简介"))
    organizer = SelectField(_l("组织方"), validate_choice=False)
    quiz_bank = SelectField(_l("结业测验题库（可不选）"), validate_choice=False)
    quiz_count = StringField(_l("测验题数"))
    quiz_pass_mark = StringField(_l("及格线（%）"))


class LessonForm(FlaskForm):
    title = StringField(_l("课时名称"))
    kind = SelectField(_l("类型"), choices=LessonKind.choices(), validate_choice=False)
    min_seconds = StringField(_l("最少学习时长（秒）"))
    file = FileField(_l("文件"))
