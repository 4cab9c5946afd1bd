"""Demo continuing education (seed-demo): a past forum the graduate attended, an upcoming salon,
the sample online course (the committed 24-second video and a PDF made here) half done by the
graduate, and a pending claim of theirs. Idempotent: everything is found by its title first."""
from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from lms.accounts.models import User
from lms.banks.models import QuestionBank
from lms.ce import ledger, storage
from lms.ce.course_models import Course, Lesson, LessonProgress
from lms.ce.enums import (ActivityKind, AttendanceMethod, Category, ClaimKind, ClaimStatus, CreditSource, LessonKind,
                          RegistrationStatus)
from lms.ce.models import CeActivity, CeAttendance, CeClaim, CeRegistration
from lms.ce.render import FONT
from lms.certificates.fonts import registered_font
from lms.core.time import utcnow
from lms.enrollment.cohorts import LOCAL_TZ, local_today
from lms.enrollment.uploads import store
from lms.extensions import db
from lms.orgs.models import Institution
from lms.orgs.services import region_by_code

SAMPLE_VIDEO = Path(__file__).resolve().parent / "sample" / "lesson.webm"
FORUM = "企业标准化总监论坛：标准引领高质量发展"
SALON = "标准化沙龙：团体标准的制定与实施"
COURSE = "标准云课堂：企业标准体系构建（示例课程）"
CLAIM = "参与起草团体标准《智能制造企业标准化良好行为评价》"


def _user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def _local(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LOCAL_TZ).astimezone(utcnow().tzinfo)


def _pdf(lines: list[str]) -> bytes:
    font, _face = registered_font(FONT)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True)
    y = A4[1] - 30 * mm
    for index, line in enumerate(lines):
        canvas.setFont(font, 18 if index == 0 else 12)
        canvas.drawString(25 * mm, y, line)
        y -= 14 * mm if index == 0 else 9 * mm
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _activity(title, kind, category, starts_at, hours, capacity, place, institution=None, region=None):
    found = db.session.scalar(select(CeActivity).where(CeActivity.title == title))
    if found is not None:
        return found
    activity = CeActivity(title=title, kind=kind, category=category, starts_at=starts_at,
                          ends_at=starts_at + timedelta(hours=hours), place=place, hours=hours, capacity=capacity,
                          seats_taken=0, institution_id=institution.id if institution else None,
                          region_id=institution.region_id if institution else region.id,
                          published_at=starts_at - timedelta(days=30),
                          description="围绕企业标准化总监的职责与实践开展交流。")
    db.session.add(activity)
    db.session.flush()
    return activity


def _course(institution: Institution) -> Course:
    found = db.session.scalar(select(Course).where(Course.title == COURSE))
    if found is not None:
        return found
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.code == "std-law"))
    course = Course(title=COURSE, category=Category.PROFESSIONAL, hours=2, institution_id=institution.id,
                    region_id=institution.region_id, published=True, quiz_bank_id=bank.id if bank else None,
                    quiz_count=5 if bank else 0, quiz_pass_mark=60,
                    description="标准云课堂示例：企业标准体系的构建方法，含一段视频和一份讲义，学完后参加 5 题结业测验。")
    db.session.add(course)
    db.session.flush()
    video = SAMPLE_VIDEO.read_bytes()
    handout = _pdf(["企业标准体系构建要点（讲义）", "一、明确标准化方针和目标", "二、识别适用的法律法规和标准",
                    "三、构建产品实现、基础保障和岗位标准子体系", "四、标准的实施、检查与持续改进"])
    for position, (title, kind, content, seconds, ext) in enumerate(
            [("企业标准体系概述（视频）", LessonKind.VIDEO, video, 20, "video"),
             ("企业标准体系构建要点（讲义）", LessonKind.PDF, handout, 60, "pdf")], start=1):
        lesson = Lesson(course_id=course.id, position=position, title=title, kind=kind, min_seconds=seconds,
                        size=len(content), received=len(content), ready=True,
                        content_type="video/webm" if kind == LessonKind.VIDEO else "application/pdf")
        db.session.add(lesson)
        db.session.flush()
        lesson.path = f"lessons/{course.id}/{lesson.id}.{ext}"
        storage.write(lesson.path, content)
    db.session.refresh(course)
    return course


def seed_ce() -> None:
    graduate = _user("graduate")
    institution = db.session.scalar(select(Institution).where(Institution.code == "SH-STC"))
    district = region_by_code("310105")
    if graduate is None or institution is None or district is None:
        return
    today = local_today()
    forum = _activity(FORUM, ActivityKind.FORUM, Category.PROFESSIONAL, _local(today - timedelta(days=20), 9), 3, 200,
                      "上海市长宁区延安西路（演示）", institution=institution)
    _activity(SALON, ActivityKind.SALON, Category.PUBLIC, _local(today + timedelta(days=10), 14), 2, 30,
              "长宁区市场监管局会议室（演示）", region=district)
    if db.session.scalar(select(CeRegistration).where(CeRegistration.activity_id == forum.id,
                                                      CeRegistration.user_id == graduate.id)) is None:
        db.session.add(CeRegistration(activity_id=forum.id, user_id=graduate.id, status=RegistrationStatus.REGISTERED,
                                      registered_at=forum.starts_at - timedelta(days=7)))
        forum.seats_taken += 1
        db.session.add(CeAttendance(activity_id=forum.id, user_id=graduate.id, present=True,
                                    method=AttendanceMethod.QR, recorded_at=forum.starts_at))
        ledger.credit(graduate.id, CreditSource.ACTIVITY, forum.id, hours=forum.hours, category=forum.category,
                      title=forum.title, earned_on=forum.starts_at.astimezone(LOCAL_TZ).date())
    course = _course(institution)
    first = course.lessons[0]
    if db.session.scalar(select(LessonProgress).where(LessonProgress.user_id == graduate.id,
                                                      LessonProgress.lesson_id == first.id)) is None:
        done_at = utcnow() - timedelta(days=2)
        db.session.add(LessonProgress(user_id=graduate.id, lesson_id=first.id, started_at=done_at - timedelta(minutes=1),
                                      beat_at=done_at, position=24, seconds=first.min_seconds, completed_at=done_at))
    if db.session.scalar(select(CeClaim).where(CeClaim.user_id == graduate.id, CeClaim.title == CLAIM)) is None:
        proof = _pdf(["团体标准起草单位证明（演示）", "兹证明李静怡同志参与起草团体标准。", "（演示材料）"])
        db.session.add(CeClaim(user_id=graduate.id, kind=ClaimKind.STANDARD, title=CLAIM,
                               category=Category.PROFESSIONAL, hours=4, happened_on=today, ended_on=today,
                               proof_path=store(f"ce-proofs/{graduate.id}", "pdf", proof),
                               proof_name="起草单位证明.pdf", proof_type="application/pdf", proof_size=len(proof),
                               status=ClaimStatus.PENDING))
    db.session.flush()

