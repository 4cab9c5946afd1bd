"""The 备案表's content: which fields it has, where each comes from, how the person's own
fields are checked. `Filing.form` holds every value as printed (codes for fixed sets, ISO
dates), so the PDF, the summary table and the pages read one snapshot.

- from the system (read-only on the form; taken afresh at submit, endorse and accept): the
  profile, the enterprise, the appointment and the certificate; the birth date comes from the
  ID number;
- from the person: what the form needs and the system lacks (PERSON_FIELDS).
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.appointments.models import Appointment
from lms.certificates.models import Certificate
from lms.core.errors import ValidationFailed
from lms.enrollment.cohorts import local_today
from lms.enrollment.enums import Gender
from lms.programs.facts import EducationLevel, TitleLevel
from lms.enrollment.models import TraineeProfile
from lms.orgs.attributes import Industry, Ownership
from lms.talent.models import AchievementKind, PoliticalStatus

LABELS: dict[str, Any] = {
    "name": _l("姓名"), "gender": _l("性别"), "birth_date": _l("出生年月"), "id_number": _l("身份证号码"),
    "ethnicity": _l("民族"), "political_status": _l("政治面貌"), "phone": _l("手机号码"), "email": _l("电子邮箱"),
    "education": _l("学历"), "school": _l("毕业院校"), "major": _l("所学专业"), "title_level": _l("职称级别"),
    "title_name": _l("职称名称"), "position": _l("现任职务"), "enterprise_name": _l("工作单位"),
    "enterprise_uscc": _l("统一社会信用代码"), "enterprise_region": _l("所在地区"), "industry": _l("所属行业"),
    "ownership": _l("企业性质"), "post_title": _l("聘任岗位"), "full_time": _l("专职/兼职"),
    "appointed_on": _l("聘任日期"), "document_no": _l("聘任文件文号"), "cert_no": _l("合格证编号"),
    "program_title": _l("培训项目"), "institution_name": _l("培训机构"), "cert_issued_on": _l("发证日期"),
    "cert_valid_until": _l("有效期至"), "work_history": _l("工作经历"), "achievements": _l("标准化工作业绩"),
    "remarks": _l("备注"),
}
# the profile's fixed values, labelled as the profile form labels them
WORK_LABELS = {"from": _l("开始年月"), "to": _l("结束年月（至今留空）"), "employer": _l("工作单位"),
               "job": _l("职务/岗位")}
ACHIEVEMENT_LABELS = {"kind": _l("类别"), "title": _l("名称"), "number": _l("标准编号"), "role": _l("本人角色")}
FULL_TIME = {True: _l("专职"), False: _l("兼职")}

SYSTEM_FIELDS = ("name", "gender", "birth_date", "id_number", "phone", "education", "major", "title_level",
                 "position", "enterprise_name", "enterprise_uscc", "enterprise_region", "industry", "ownership",
                 "post_code", "post_title", "full_time", "appointed_on", "document_no", "cert_no", "program_title",
                 "institution_name", "cert_issued_on", "cert_valid_until")
TEXT_FIELDS = {"ethnicity": 16, "email": 120, "title_name": 64, "school": 64, "remarks": 200}
PERSON_FIELDS = ("ethnicity", "political_status", "email", "title_name", "school", "work_history", "achievements",
                 "remarks")
REQUIRED_TO_SUBMIT = ("ethnicity", "political_status", "email", "school", "work_history")
MAX_WORK, MAX_ACHIEVEMENTS = 20, 30
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MONTH = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$")


def shown(values: dict[str, Any], key: str) -> str:
    """A form value as printed and shown: labels for codes (in the current language), YYYY-MM for the birth date."""
    value = values.get(key)
    lookups = {"full_time": FULL_TIME}
    enums = {"gender": Gender, "education": EducationLevel, "title_level": TitleLevel,
             "political_status": PoliticalStatus, "industry": Industry, "ownership": Ownership}
    if key in lookups:
        return str(lookups[key].get(value, ""))
    if key in enums:
        member = enums[key].get(value)
        return member.label if member else ""
    if key == "birth_date":
        return (value or "")[:7]
    return str(value or "")


def form_title(post_titles: list[str], suffix) -> str:
    """首席标准官、标准总监和标准化专员 + suffix (信息备案表, 信息汇总表)."""
    titles = list(dict.fromkeys(post_titles))
    joined = "、".join(titles[:-1]) + "和" + titles[-1] if len(titles) > 1 else "".join(titles)
    return f"{joined}{suffix}"


def birth_date(id_number: str) -> str:
    """YYYY-MM-DD from an 18-digit ID number (GB 11643: digits 7-14), or "" when it has none."""
    digits = (id_number or "")[6:14]
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])).isoformat()
    except ValueError:
        return ""


def system_values(profile: TraineeProfile, appointment: Appointment, certificate: Certificate) -> dict[str, Any]:
    enterprise = appointment.enterprise
    return {
        "name": profile.name, "gender": profile.gender, "birth_date": birth_date(profile.id_number),
        "id_number": profile.id_number, "phone": profile.phone, "education": profile.education,
        "major": profile.major, "title_level": profile.title_level, "position": profile.position,
        "enterprise_name": enterprise.name, "enterprise_uscc": enterprise.uscc,
        "enterprise_region": enterprise.region.full_name,
        "industry": enterprise.industry_section.value if enterprise.industry_section else "",
        "ownership": enterprise.ownership.value if enterprise.ownership else "",
        "post_code": appointment.post.code, "post_title": appointment.post.title,
        "full_time": appointment.full_time, "appointed_on": appointment.starts_on.isoformat(),
        "document_no": appointment.document_no, "cert_no": certificate.cert_no,
        "program_title": certificate.program_title, "institution_name": certificate.institution_name,
        "cert_issued_on": certificate.issued_on.isoformat(), "cert_valid_until": certificate.valid_until.isoformat(),
    }


def blank_person_values() -> dict[str, Any]:
    return {**{name: "" for name in TEXT_FIELDS}, "political_status": "", "work_history": [], "achievements": []}


def clean_person_values(data: dict[str, Any]) -> dict[str, Any]:
    """The person's fields given in `data`, checked; a ValidationFailed names each bad one
    (`work_history.2.to` for the second period's end). System fields are ignored: they come
    from the profile, the appointment and the certificate."""
    problems: dict[str, Any] = {}
    unknown = sorted(set(data) - set(PERSON_FIELDS) - set(SYSTEM_FIELDS))
    for name in unknown:
        problems[name] = _l("备案表没有这一项")
    clean: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        if name in data:
            value = data[name] if data[name] is not None else ""
            if not isinstance(value, str) or len(value.strip()) > limit:
                problems[name] = _l("应为不超过 %(n)s 字的文字", n=limit)
            else:
                clean[name] = value.strip()
    if clean.get("email") and not EMAIL.match(clean["email"]):
        problems["email"] = _l("电子邮箱格式不正确")
    if "political_status" in data:
        value = data["political_status"] or ""
        if value and PoliticalStatus.get(value) is None:
            problems["political_status"] = _l("请从列表中选择政治面貌")
        else:
            clean["political_status"] = value
    if "work_history" in data:
        clean["work_history"] = _work_history(data["work_history"], problems)
    if "achievements" in data:
        clean["achievements"] = _achievements(data["achievements"], problems)
    if problems:
        raise ValidationFailed(_l("备案表填写有误"), problems)
    return clean


def _items(value: Any, name: str, limit: int, problems: dict) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        problems[name] = _l("应为列表，每一条为一个对象")
        return []
    if len(value) > limit:
        problems[name] = _l("最多填写 %(n)s 条", n=limit)
        return []
    return value


def _text(item: dict, key: str, limit: int, where: str, problems: dict, n: int, required: bool = False) -> str:
    value = item.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value.strip()) > limit:
        problems[f"{where}.{n}.{key}"] = _l("第 %(n)s 条：应为不超过 %(limit)s 字的文字", n=n, limit=limit)
        return ""
    if required and not value.strip():
        problems[f"{where}.{n}.{key}"] = _l("第 %(n)s 条：此项必填", n=n)
    return value.strip()


def _work_history(value: Any, problems: dict) -> list[dict]:
    this_month = local_today().strftime("%Y-%m")
    periods = []
    for n, item in enumerate(_items(value, "work_history", MAX_WORK, problems), 1):
        start = _text(item, "from", 7, "work_history", problems, n, required=True)
        end = _text(item, "to", 7, "work_history", problems, n)
        if start and not MONTH.match(start):
            problems[f"work_history.{n}.from"] = _l("第 %(n)s 条：开始年月应为 YYYY-MM", n=n)
        elif end and not MONTH.match(end):
            problems[f"work_history.{n}.to"] = _l("第 %(n)s 条：结束年月应为 YYYY-MM，至今则留空", n=n)
        elif start > this_month:
            problems[f"work_history.{n}.from"] = _l("第 %(n)s 条：开始年月不能晚于本月", n=n)
        elif end and end < start:
            problems[f"work_history.{n}.to"] = _l("第 %(n)s 条：结束年月早于开始年月", n=n)
        elif end and end > this_month:
            problems[f"work_history.{n}.to"] = _l("第 %(n)s 条：结束年月不能晚于本月", n=n)
        periods.append({"from": start, "to": end,
                        "employer": _text(item, "employer", 64, "work_history", problems, n, required=True),
                        "job": _text(item, "job", 64, "work_history", problems, n, required=True)})
    return periods


def _achievements(value: Any, problems: dict) -> list[dict]:
    items = []
    for n, item in enumerate(_items(value, "achievements", MAX_ACHIEVEMENTS, problems), 1):
        kind = AchievementKind.get(item.get("kind"))
        if kind is None:
            problems[f"achievements.{n}.kind"] = _l("第 %(n)s 条：请选择业绩类别", n=n)
        items.append({"kind": kind.value if kind else "",
                      "title": _text(item, "title", 200, "achievements", problems, n, required=True),
                      "number": _text(item, "number", 64, "achievements", problems, n),
                      "role": _text(item, "role", 64, "achievements", problems, n)})
    return items


def missing_to_submit(form: dict[str, Any]) -> dict[str, Any]:
    """What the person still has to fill in before submitting (field -> problem)."""
    return {name: _l("提交前请填写“%(label)s”", label=LABELS[name]) for name in REQUIRED_TO_SUBMIT
            if not form.get(name)}


def achievements_text(form: dict[str, Any]) -> str:
    """The achievements as one text, for keyword search in the pool."""
    return "\n".join(" ".join(part for part in (a.get("number", ""), a.get("title", ""), a.get("role", "")) if part)
                     for a in form.get("achievements") or [])
