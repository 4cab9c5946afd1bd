from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("撤销理由（将在核验页面公开显示）"), validators=[Length(max=500)])


class ReissueForm(FlaskForm):
    holder_name = StringField(_l("更正后的姓名（不填则取学员资料中的姓名）"), validators=[Length(max=64)])
    reason = StringField(_l("换发原因"), validators=[Length(max=200)])
