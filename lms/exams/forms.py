from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateTimeLocalField, DecimalField, IntegerField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import Length, NumberRange, Optional

from lms.exams.models import ExamPurpose, PaperMode, ReleasePolicy, ReviewPolicy


class ExamForm(FlaskForm):
    title = StringField(_l("考试名称"), validators=[Length(max=128)])
    purpose = SelectField(_l("考试性质"), choices=ExamPurpose.choices(), validate_choice=False)
    opens_at = DateTimeLocalField(_l("开始时间（北京时间）"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    closes_at = DateTimeLocalField(_l("结束时间（北京时间）"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    duration_minutes = IntegerField(_l("考试时长（分钟）"), validators=[Optional()])
    attempts_allowed = IntegerField(_l("允许作答次数（含补考）"), default=2, validators=[Optional()])
    pass_mark = DecimalField(_l("及格线（占总分的百分比）"), default=60, validators=[Optional()])
    shuffle_questions = BooleanField(_l("打乱题目顺序"), default=True)
    shuffle_options = BooleanField(_l("打乱选项顺序"), default=True)
    multiple_partial = BooleanField(_l("多选题部分得分（每选对一项得相应分，有错选不得分）"))
    release_policy = SelectField(_l("成绩公布"), choices=ReleasePolicy.choices(), validate_choice=False)
    review_policy = SelectField(_l("答案公布"), choices=ReviewPolicy.choices(), validate_choice=False)
    answers_on_submit = BooleanField(_l("交卷后立即显示答案与解析（仅练习测验；答错的题收入学员的错题本）"))
    requires_attendance = BooleanField(_l("须达到出勤要求才能参加"))
    anonymous_grading = BooleanField(_l("匿名阅卷（阅卷老师看不到学员姓名）"))
    max_tab_switches = IntegerField(_l("切屏次数上限（留空为不限）"), validators=[Optional(), NumberRange(min=0)])


class PaperForm(FlaskForm):
    mode = SelectField(_l("组卷方式"), choices=PaperMode.choices(), validate_choice=False)
    lines = TextAreaField(_l("组卷规则 / 固定试卷"), validators=[Length(max=20000)])


class ExtensionForm(FlaskForm):
    username = StringField(_l("学员用户名"), validators=[Length(max=64)])
    minutes = IntegerField(_l("延长分钟数（0 为取消）"), validators=[Optional()])
    reason = StringField(_l("原因"), validators=[Length(max=255)])


class GradeForm(FlaskForm):
    score = DecimalField(_l("得分"), validators=[Optional()])
    comment = TextAreaField(_l("评语"), validators=[Length(max=5000)])
