from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from lms.core.forms import options
from lms.talent.form import ACHIEVEMENT_LABELS, LABELS, WORK_LABELS
from lms.talent.models import AchievementKind, PoliticalStatus

BLANK_ROWS = 2  # empty rows offered below the filled ones (no script needed to add more)


class WorkRow(Form):
    start = StringField(WORK_LABELS["from"], validators=[Length(max=7)], render_kw={"placeholder": "2015-07"})
    end = StringField(WORK_LABELS["to"], validators=[Length(max=7)], render_kw={"placeholder": "2020-12"})
    employer = StringField(WORK_LABELS["employer"], validators=[Length(max=64)])
    job = StringField(WORK_LABELS["job"], validators=[Length(max=64)])

    def as_item(self) -> dict:
        return {"from": self.start.data.strip(), "to": self.end.data.strip(), "employer": self.employer.data,
                "job": self.job.data}


class AchievementRow(Form):
    kind = SelectField(ACHIEVEMENT_LABELS["kind"], choices=options([("", _l("请选择"))]) + AchievementKind.choices(),
                       validate_choice=False)
    title = StringField(ACHIEVEMENT_LABELS["title"], validators=[Length(max=200)])
    number = StringField(ACHIEVEMENT_LABELS["number"], validators=[Length(max=64)])
    role = StringField(ACHIEVEMENT_LABELS["role"], validators=[Length(max=64)])

    def as_item(self) -> dict:
        return {"kind": self.kind.data, "title": self.title.data, "number": self.number.data, "role": self.role.data}


class FilingForm(FlaskForm):
    ethnicity = StringField(LABELS["ethnicity"], validators=[Length(max=16)], render_kw={"placeholder": _l("例如：汉族")})
    political_status = SelectField(LABELS["political_status"],
                                   choices=options([("", _l("请选择"))]) + PoliticalStatus.choices(),
                                   validate_choice=False)
    email = StringField(LABELS["email"], validators=[Length(max=120)])
    title_name = StringField(LABELS["title_name"], validators=[Length(max=64)],
                             render_kw={"placeholder": _l("例如：高级工程师")})
    school = StringField(LABELS["school"], validators=[Length(max=64)])
    work_history = FieldList(FormField(WorkRow), min_entries=1, max_entries=20)
    achievements = FieldList(FormField(AchievementRow), min_entries=1, max_entries=30)
    remarks = TextAreaField(LABELS["remarks"], validators=[Length(max=200)])

    @classmethod
    def of(cls, values: dict):
        """The form filled with a filing's own fields, and a few empty rows to add to."""
        work = [{"start": w.get("from", ""), "end": w.get("to", ""), "employer": w.get("employer", ""),
                 "job": w.get("job", "")} for w in values.get("work_history") or []]
        achievements = list(values.get("achievements") or [])
        data = {name: values.get(name) or "" for name in ("ethnicity", "political_status", "email", "title_name",
                                                          "school", "remarks")}
        return cls(data={**data, "work_history": work + [{}] * BLANK_ROWS,
                         "achievements": achievements + [{}] * BLANK_ROWS})

    def values(self) -> tuple[dict, dict[str, list[int]]]:
        """The person's fields for the service, without the empty rows; and, per list, the form row
        of each kept item (so a problem with item n lands on its row)."""
        kept: dict[str, list[int]] = {"work_history": [], "achievements": []}
        lists: dict[str, list[dict]] = {"work_history": [], "achievements": []}
        for name in lists:
            for index, row in enumerate(getattr(self, name).entries):
                item = row.form.as_item()
                if any((value or "").strip() for value in item.values()):
                    lists[name].append(item)
                    kept[name].append(index)
        data = {name: getattr(self, name).data for name in ("ethnicity", "political_status", "email", "title_name",
                                                             "school", "remarks")}
        return {**data, **lists}, kept


class ReturnForm(FlaskForm):
    reason = TextAreaField(_l("退回原因"), validators=[Length(max=500)])
