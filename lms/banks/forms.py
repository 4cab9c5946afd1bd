from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from lms.banks.enums import Difficulty
from lms.banks.types import type_choices


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class BankForm(FlaskForm):
    code = StringField(_l("题库代码"), validators=[DataRequired(), Length(max=64)])
    title = StringField(_l("题库名称"), validators=[DataRequired(), Length(max=200)])


class QuestionForm(FlaskForm):
    external_id = StringField(_l("题号"), validators=[Optional(), Length(max=64)])
    category = SelectField(_l("分类"))
    type = SelectField(_l("题型"), choices=type_choices)  # a callable: a type registered later shows too
    difficulty = SelectField(_l("难度"), choices=Difficulty.choices(), default=str(Difficulty.MEDIUM.value))
    points = StringField(_l("分值"), default="1")
    stem = TextAreaField(_l("题干"), render_kw={"rows": 4})
    options = TextAreaField(_l("选项"), render_kw={"rows": 5})
    answer = TextAreaField(_l("答案"), render_kw={"rows": 2})
    weights = StringField(_l("权重（多选题部分得分，可空）"))
    rubric = TextAreaField(_l("评分细则"), render_kw={"rows": 4})
    explanation = TextAreaField(_l("解析"), render_kw={"rows": 3})
    source = StringField(_l("出处"))
    tags = StringField(_l("标签"))


class ImportForm(FlaskForm):
    files = MultipleFileField(_l("题库文件"))
    bank_code = SelectField(_l("目标题库"), validate_choice=False)
    category = StringField(_l("默认分类代码"), validators=[Optional(), Length(max=64)])
    payload = HiddenField()
