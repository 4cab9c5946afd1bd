from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from lms.programs.models import ProgramLevel


class ProgramForm(FlaskForm):
    code = StringField(_l("项目代码"), validators=[DataRequired(), Length(max=32)])
    title = StringField(_l("项目名称"), validators=[DataRequired(), Length(max=128)])
    level = SelectField(_l("层级"), choices=ProgramLevel.choices(), default=ProgramLevel.DIRECTOR)
    region_id = SelectField(_l("所属行政区划（制定单位）"), coerce=int)
    description = TextAreaField(_l("说明"), validators=[Optional(), Length(max=4000)])
    teacher_requirements = TextAreaField(_l("师资条件"), validators=[Optional(), Length(max=4000)])
    required_qualifications = TextAreaField(_l("教师须具备的资格（每行一项）"), validators=[Optional(), Length(max=2000)])
    min_attendance_percent = IntegerField(_l("最低出勤率（%）"), default=90, validators=[Optional()])
    exam_pass_mark = IntegerField(_l("考试合格分（百分制）"), default=60, validators=[Optional()])
    assignment_required = BooleanField(_l("须提交结业作业"))
    certificate_validity_years = IntegerField(_l("合格证有效期（年）"), default=3, validators=[Optional()])
    ce_hours_per_year = IntegerField(_l("每年继续教育学时"), default=12, validators=[Optional()])


class ModuleForm(FlaskForm):
    code = StringField(_l("模块代码"), validators=[DataRequired(), Length(max=32)])
    title = StringField(_l("模块名称"), validators=[DataRequired(), Length(max=128)])
    hours = DecimalField(_l("学时"), places=1, validators=[Optional()])


class RulesForm(FlaskForm):
    rules = TextAreaField(_l("任职条件规则（JSON）"), validators=[Optional(), Length(max=20000)])


class TeacherForm(FlaskForm):
    institution_id = SelectField(_l("承办机构"), coerce=int)
    name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=64)])
    title = StringField(_l("职称/职务"), validators=[Optional(), Length(max=64)])
    qualifications = TextAreaField(_l("资格（每行一项）"), validators=[Optional(), Length(max=2000)])
    active = BooleanField(_l("在岗"), default=True)
