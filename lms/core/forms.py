"""Glue between service ValidationFailed errors and WTForms forms."""
from wtforms.fields.choices import SelectChoice

from lms.core.errors import ValidationFailed


def options(pairs) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


def apply_errors(form, error: ValidationFailed, renames: dict[str, str] | None = None) -> None:
    """Show each service-side field problem on the matching form field (`renames` maps a
    service's field name to the form's, e.g. {"program": "program_id"}).

    Problems become plain text here: a lazily translated string counts as safe HTML to Jinja
    (it has `__html__`), so one quoting what the user typed would reach the page unescaped."""
    for name, message in error.fields.items():
        field = getattr(form, (renames or {}).get(name, name), None)
        if field is not None:
            field.errors = list(field.errors) + [str(message)]
        else:
            form.form_errors.append(str(message))
    if not error.fields and error.message:
        form.form_errors.append(str(error.message))


# ---- the project's own words for WTForms' built-in messages ----------------------------------
# WTForms asks its form's translations for every default message of a validator or a field
# (`field.gettext("This field is required.")`); the project answers with its own translated
# sentences, so no page shows WTForms' English or its catalog's wording. A message not listed
# here gets the generic one rather than English.

from flask_babel import lazy_gettext as _l  # noqa: E402

INVALID = _l("输入有误，请检查")
WTFORMS_MESSAGES = {
    "This field is required.": _l("请填写此项"),
    "Field must be at least %(min)d character long.": _l("至少%(min)d个字符"),
    "Field cannot be longer than %(max)d character.": _l("不能超过%(max)d个字符"),
    "Field must be exactly %(max)d character long.": _l("应为%(max)d个字符"),
    "Field must be between %(min)d and %(max)d characters long.": _l("应为%(min)d至%(max)d个字符"),
    "Not a valid integer value.": _l("请填写整数"),
    "Not a valid decimal value.": _l("请填写数字"),
    "Not a valid float value.": _l("请填写数字"),
    "Not a valid date value.": _l("请填写有效日期，如 2026-03-05"),
    "Not a valid datetime value.": _l("请填写有效的日期和时间"),
    "Not a valid time value.": _l("请填写有效时间，如 09:30"),
    "Not a valid week value.": _l("请填写有效的周，如 2026-W10"),
    "Not a valid choice.": _l("请从列表中选择"),
    "Invalid Choice: could not coerce.": _l("请从列表中选择"),
    "Choices cannot be None.": _l("请从列表中选择"),
    "'%(value)s' is not a valid choice for this field.": _l("“%(value)s”不是可选的值"),
    "Invalid choice(s): one or more data inputs could not be coerced.": _l("请从列表中选择"),
    "Number must be at least %(min)s.": _l("不能小于%(min)s"),
    "Number must be at most %(max)s.": _l("不能大于%(max)s"),
    "Number must be between %(min)s and %(max)s.": _l("应在%(min)s至%(max)s之间"),
    "Date must be at least %(min)s.": _l("不能早于%(min)s"),
    "Date must be at most %(max)s.": _l("不能晚于%(max)s"),
    "Date must be between %(min)s and %(max)s.": _l("应在%(min)s至%(max)s之间"),
    "Invalid email address.": _l("请填写有效的电子邮箱地址，如 name@example.com"),
    "Field must be equal to %(other_name)s.": _l("与“%(other_name)s”不一致"),
    "Invalid input.": INVALID,
    "This field cannot be edited.": _l("此项不能修改"),
    "This field is disabled and cannot have a value.": _l("此项不能修改"),
    "CSRF token missing.": _l("页面已过期，请刷新后重试"),
    "CSRF failed.": _l("页面已过期，请刷新后重试"),
    "CSRF token expired.": _l("页面已过期，请刷新后重试"),
    "Invalid CSRF Token.": _l("页面已过期，请刷新后重试"),
}


class ProjectMessages:
    """WTForms translations object: gettext/ngettext over WTFORMS_MESSAGES, in the reader's language."""

    @staticmethod
    def _lookup(string: str) -> str:
        return str(WTFORMS_MESSAGES.get(string, INVALID))

    def gettext(self, string: str) -> str:
        return self._lookup(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._lookup(singular)  # the project's sentences need no plural forms


PROJECT_MESSAGES = ProjectMessages()


def use_project_messages() -> None:
    """Every FlaskForm speaks the project's messages (called once by create_app)."""
    from flask_wtf import FlaskForm

    FlaskForm.Meta.get_translations = lambda self, form: PROJECT_MESSAGES
