"""Exam settings for institution staff over the API (the same service as the settings form)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.api.base import api_route, caller, json_body
from lms.api.openapi import schema
from lms.core.errors import ValidationFailed
from lms.core.permissions import require_role
from lms.enrollment.cohorts import get_cohort
from lms.exams import services
from lms.exams.exams import FLAGS, SETTINGS_FIELDS
from lms.exams.models import Exam, ExamPurpose, PaperMode, ReleasePolicy, ReviewPolicy
from lms.exams.present import iso

TIME = {"type": "string", "format": "date-time"}
SETTINGS_PROPERTIES = {
    "title": {"type": "string", "maxLength": 128},
    "purpose": {"enum": list(ExamPurpose.values()), "description": "formal counts towards the certificate"},
    "opens_at": TIME, "closes_at": TIME,
    "duration_minutes": {"type": "integer", "minimum": 1, "maximum": 1440},
    "attempts_allowed": {"type": "integer", "minimum": 1, "maximum": 10},
    "pass_mark": {"type": "number", "minimum": 0, "maximum": 100,
                  "description": "% of the paper's points; a formal exam's is never below its programme's "
                                 "exam_pass_mark (422 naming pass_mark)"},
    **{flag: {"type": "boolean"} for flag in FLAGS},
    "release_policy": {"enum": list(ReleasePolicy.values())},
    "review_policy": {"enum": list(ReviewPolicy.values())},
    "max_tab_switches": {"type": ["integer", "null"], "minimum": 0},
}
SETTINGS_IN = schema("ExamSettingsIn", {"type": "object", "properties": SETTINGS_PROPERTIES})
SETTINGS = schema("ExamSettings", {
    "type": "object", "required": ["id", "cohort_code", *SETTINGS_FIELDS, "paper_mode", "effective_pass_mark"],
    "properties": {"id": {"type": "integer"}, "cohort_code": {"type": "string"},
                   **SETTINGS_PROPERTIES, "paper_mode": {"enum": list(PaperMode.values())},
                   "effective_pass_mark": {"type": "number", "description": "the mark attempts are judged by"}},
})
DEFAULTS = {"purpose": ExamPurpose.FORMAL, "attempts_allowed": 2, "shuffle_questions": True, "shuffle_options": True,
            "multiple_partial": False, "release_policy": ReleasePolicy.IMMEDIATE,
            "review_policy": ReviewPolicy.AFTER_CLOSE, "requires_attendance": False, "anonymous_grading": False,
            "max_tab_switches": None, "answers_on_submit": False}


def settings_json(exam: Exam) -> dict:
    data: dict[str, Any] = {name: getattr(exam, name) for name in SETTINGS_FIELDS}
    data.update(id=exam.id, cohort_code=exam.cohort.code, opens_at=iso(exam.opens_at), closes_at=iso(exam.closes_at),
                paper_mode=exam.paper_mode, effective_pass_mark=services.effective_pass_mark(exam))
    return data


def _settings(body: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The settings to save: the body's over `current`; times as aware datetimes, flags as booleans."""
    data = {**current, **{name: body[name] for name in SETTINGS_FIELDS if name in body}}
    problems = {}
    for name in ("opens_at", "closes_at"):
        value = data.get(name)
        if isinstance(value, str):
            try:
                data[name] = datetime.fromisoformat(value)
            except ValueError:
                data[name] = None
        if not isinstance(data.get(name), datetime) or data[name].tzinfo is None:
            problems[name] = _l("应为带时区的 ISO 8601 时间，例如 2026-05-01T09:00:00+08:00")
    problems.update({flag: _l("应为 true 或 false") for flag in FLAGS if not isinstance(data.get(flag), bool)})
    if problems:
        raise ValidationFailed(next(iter(problems.values())), problems)
    return data


def _staff():
    actor = caller()
    require_role(actor, "admin", "institution")
    return actor


@api_route("/cohorts/<code>/exams", "POST", summary="为班次新建考试（承办机构）；试卷在网页上设置", tags=["exams"],
           request=SETTINGS_IN, responses={"201": ("已创建", SETTINGS)}, errors=("400", "403", "404", "422"))
def create_exam(code: str):
    actor = _staff()
    cohort = get_cohort(actor, code)
    defaults = {**DEFAULTS, "pass_mark": services.pass_mark_floor(cohort)}
    exam = services.save_exam(actor, cohort, _settings(json_body(), defaults))
    return settings_json(exam), 201


@api_route("/exams/<int:exam_id>", "PUT", summary="修改考试设置（承办机构）；未给出的字段保持不变", tags=["exams"],
           request=SETTINGS_IN, responses={"200": ("已保存", SETTINGS)}, errors=("400", "403", "404", "422"))
def update_exam(exam_id: int):
    actor = _staff()
    exam = services.get_exam(actor, exam_id)
    current = {name: getattr(exam, name) for name in SETTINGS_FIELDS}
    services.save_exam(actor, exam.cohort, _settings(json_body(), current), exam)
    return settings_json(exam)
