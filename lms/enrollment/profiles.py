"""Trainee profiles: validation, saving (with the enterprise found or created by USCC), and
the facts the eligibility rules read."""
from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.core import audit
from lms.core.enums import LabeledEnum
from lms.core.errors import ValidationFailed
from lms.core.permissions import enterprise_ids
from lms.core.ids import id_number_problem, normalize_id_number, normalize_uscc, uscc_problem
from lms.enrollment.enums import Gender
from lms.enrollment.models import TraineeProfile
from lms.extensions import db
from lms.orgs.models import Enterprise
from lms.orgs.services import enterprise_by_uscc, region_by_code
from lms.programs.facts import AppointmentStatus, EducationLevel, PositionLevel, TitleLevel

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
PROFILE_FIELDS = ("name", "gender", "id_number", "phone", "enterprise_uscc", "enterprise_name", "position",
                  "position_level", "education", "major", "standardization_major", "title_level",
                  "standardization_years", "appointment_status")
CHOICES: dict[str, tuple[type[LabeledEnum], Any]] = {
    "gender": (Gender, _l("性别")), "education": (EducationLevel, _l("学历")),
    "title_level": (TitleLevel, _l("职称")), "appointment_status": (AppointmentStatus, _l("任职状态")),
}
# Added after the API was published: a client that does not send it keeps what the profile has.
OPTIONAL_CHOICES: dict[str, tuple[type[LabeledEnum], Any]] = {"position_level": (PositionLevel, _l("职务层级"))}


def profile_of(user) -> TraineeProfile | None:
    return db.session.scalar(select(TraineeProfile).where(TraineeProfile.user_id == user.id))


def profiles_by_user(user_ids) -> dict[int, TraineeProfile]:
    """The profiles of several users at once (lists of applications), by user id."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    return {p.user_id: p for p in db.session.scalars(select(TraineeProfile).where(TraineeProfile.user_id.in_(ids)))}


def employees_of(actor) -> list[TraineeProfile]:
    """Enterprise HR: the trainees whose profile names one of its enterprises."""
    own = sorted(enterprise_ids(actor))
    if not own:
        return []
    return list(db.session.scalars(select(TraineeProfile).where(TraineeProfile.enterprise_id.in_(own))
                                   .order_by(TraineeProfile.name)))


def _text(data: dict, name: str, problems: dict, label, *, required: bool = True, max_len: int = 64) -> str:
    value = data.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems[name] = _l("%(label)s应为文本", label=label)
        return ""
    value = value.strip()
    if required and not value:
        problems[name] = _l("请填写%(label)s", label=label)
    elif len(value) > max_len:
        problems[name] = _l("%(label)s不能超过%(n)s个字符", label=label, n=max_len)
    return value


def _choice(enum: type[LabeledEnum], label, value: Any):
    """(member, problem): any value that is not one of the enum's (a list, an object, a typo) is a problem."""
    member = enum.get(value) if isinstance(value, str) else None
    if member is not None:
        return member, None
    allowed = ", ".join(f"{m.value}={m.label}" for m in enum)
    return None, _l("请选择%(label)s（%(allowed)s）", label=label, allowed=allowed)


def _region_for_uscc(uscc: str):
    code = uscc[2:8]
    for candidate in (code, code[:4] + "00", code[:2] + "0000"):
        if (region := region_by_code(candidate)) is not None:
            return region
    return None


def check_profile(data: dict[str, Any], user=None, *, unique: bool = True) -> tuple[dict[str, Any], dict[str, Any]]:
    """Clean values and problems (field -> reason) of a profile submission. `unique`: refuse an ID
    number another account holds (the roster import settles those itself, saying nothing)."""
    problems: dict[str, Any] = {}
    clean: dict[str, Any] = {"name": _text(data, "name", problems, _l("姓名")),
                             "position": _text(data, "position", problems, _l("职务")),
                             "major": _text(data, "major", problems, _l("所学专业"), required=False)}
    for name, (enum, label) in CHOICES.items():
        clean[name], problem = _choice(enum, label, data.get(name))
        if problem:
            problems[name] = problem
    for name, (enum, label) in OPTIONAL_CHOICES.items():
        if data.get(name) is not None:
            clean[name], problem = _choice(enum, label, data[name])
            if problem:
                problems[name] = problem
    id_number = normalize_id_number(_text(data, "id_number", problems, _l("身份证号码"), max_len=18))
    if id_number and "id_number" not in problems:
        if problem := id_number_problem(id_number):
            problems["id_number"] = problem
        elif unique:
            clash = db.session.scalar(select(TraineeProfile).where(TraineeProfile.id_number == id_number))
            if clash is not None and (user is None or clash.user_id != user.id):
                problems["id_number"] = _l("该身份证号码已被其他账户使用")
    clean["id_number"] = id_number
    phone = _text(data, "phone", problems, _l("手机号码"), max_len=20)
    if phone and "phone" not in problems and not PHONE_RE.match(phone):
        problems["phone"] = _l("请填写11位中国大陆手机号码")
    clean["phone"] = phone
    major_flag = data.get("standardization_major", False)
    if not isinstance(major_flag, bool):
        problems["standardization_major"] = _l("应为 true 或 false")
    clean["standardization_major"] = bool(major_flag)
    years = data.get("standardization_years")
    if isinstance(years, str):
        try:
            years = float(years.strip())
        except ValueError:
            years = None
    if isinstance(years, bool) or not isinstance(years, (int, float)) or not 0 <= years <= 60:
        problems["standardization_years"] = _l("标准化工作年限应为0至60之间的数字")
    else:
        clean["standardization_years"] = float(years)
    uscc = normalize_uscc(_text(data, "enterprise_uscc", problems, _l("单位统一社会信用代码"), max_len=18))
    if uscc and "enterprise_uscc" not in problems and (problem := uscc_problem(uscc)):
        problems["enterprise_uscc"] = problem
    clean["enterprise_uscc"] = uscc
    clean["enterprise_name"] = _text(data, "enterprise_name", problems, _l("单位名称"), required=False, max_len=128)
    if uscc and "enterprise_uscc" not in problems and enterprise_by_uscc(uscc) is None:
        if not clean["enterprise_name"]:
            problems.setdefault("enterprise_name", _l("该信用代码的企业尚未登记，请填写单位名称"))
        elif _region_for_uscc(uscc) is None:
            problems["enterprise_uscc"] = _l("无法从统一社会信用代码识别单位所在行政区划，请核对")
    return clean, problems


def save_profile(actor, data: dict[str, Any], user=None) -> TraineeProfile:
    """Create or replace `user`'s profile (default: the actor's own). A USCC not yet known
    creates the enterprise as pending verification."""
    user = user or actor
    clean, problems = check_profile(data, user)
    if problems:
        raise ValidationFailed(_l("个人资料有误"), problems)
    enterprise = enterprise_by_uscc(clean["enterprise_uscc"])
    if enterprise is None:
        enterprise = Enterprise(uscc=clean["enterprise_uscc"], name=clean["enterprise_name"],
                                region=_region_for_uscc(clean["enterprise_uscc"]), status="pending")
        db.session.add(enterprise)
        audit.record(actor, "enterprise.create_pending", enterprise)
    profile = profile_of(user)
    created = profile is None
    profile = profile or TraineeProfile(user_id=user.id)
    for name in ("name", "gender", "id_number", "phone", "position", "education", "major",
                 "standardization_major", "title_level", "standardization_years", "appointment_status"):
        setattr(profile, name, clean[name])
    if "position_level" in clean:
        profile.position_level = clean["position_level"]
    profile.enterprise = enterprise
    db.session.add(profile)
    audit.record(actor, "profile.create" if created else "profile.update", profile)
    return profile


def profile_json(profile: TraineeProfile | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {
        "name": profile.name, "gender": profile.gender, "id_number": profile.id_number, "phone": profile.phone,
        "enterprise_uscc": profile.enterprise.uscc if profile.enterprise else None,
        "enterprise_name": profile.enterprise.name if profile.enterprise else None,
        "position": profile.position, "position_level": profile.position_level,
        "education": profile.education, "major": profile.major,
        "standardization_major": profile.standardization_major, "title_level": profile.title_level,
        "standardization_years": profile.standardization_years, "appointment_status": profile.appointment_status,
    }


def profile_facts(profile: TraineeProfile) -> dict[str, Any]:
    """What the eligibility rule engine reads (lms.programs.facts.FACTS)."""
    return {"education": profile.education, "title_level": profile.title_level,
            "position_level": profile.position_level,
            "standardization_years": profile.standardization_years,
            "standardization_major": profile.standardization_major,
            "appointment_status": profile.appointment_status}
