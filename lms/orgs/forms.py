from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class InstitutionForm(FlaskForm):
    code = StringField(_l("机构代码"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("机构名称"), validators=[DataRequired(), Length(max=128)])
    uscc = StringField(_l("统一社会信用代码"), validators=[DataRequired(), Length(max=18)])
    region_id = SelectField(_l("所在行政区划"), coerce=int)
    accreditation_no = StringField(_l("资质证书编号"), validators=[DataRequired(), Length(max=64)])
    accreditation_scope = TextAreaField(_l("资质范围"), validators=[Optional(), Length(max=2000)])
    accredited_from = DateField(_l("资质有效期起"), validators=[DataRequired()])
    accredited_until = DateField(_l("资质有效期止"), validators=[DataRequired()])


class EnterpriseForm(FlaskForm):
    name = StringField(_l("企业名称"), validators=[DataRequired(), Length(max=128)])
    uscc = StringField(_l("统一社会信用代码"), validators=[DataRequired(), Length(max=18)])
    region_id = SelectField(_l("所在行政区划"), coerce=int)
    industry = StringField(_l("所属行业"), validators=[Optional(), Length(max=64)])
