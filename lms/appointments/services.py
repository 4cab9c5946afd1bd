"""Posts, and enterprises appointing their employees to them.

Services take an explicit actor and plain values, add and flush; the request (or CLI
command) commits. Bad input is refused with the field named and nothing changed.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.appointments import access
from lms.appointments.models import Appointment, AppointmentStatus, EndReason, Post
from lms.certificates.enums import CertificateStatus
from lms.certificates.models import Certificate
from lms.core import audit
from lms.core.errors import Conflict, NotFound, ValidationFailed
from lms.core.permissions import enterprise_ids, one_or_404
from lms.core.time import utcnow
from lms.enrollment import uploads
from lms.enrollment.cohorts import local_today
from lms.enrollment.models import TraineeProfile
from lms.extensions import db
from lms.notifications.services import message, notify
from lms.orgs.models import Enterprise, Region
from lms.programs.models import Program, ProgramLevel

APPOINTED = message("appointments.appointed", _l("%(enterprise)s已将您聘任为%(post)s"))
ENDED = message("appointments.ended", _l("您在%(enterprise)s的%(post)s聘任已结束"))

POST_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,31}$")


# ---- posts ----------------------------------------------------------------------------------

def all_posts() -> list[Post]:
    return list(db.session.scalars(select(Post).join(Region).order_by(Region.code, Post.rank, Post.code)))


def post_by_code(code) -> Post | None:
    if not isinstance(code, str) or not code.strip():
        return None
    return db.session.scalar(select(Post).where(Post.code == code.strip()))


def posts_for(enterprise: Enterprise) -> list[Post]:
    """Posts of the enterprise's region and the regions above it."""
    return list(db.session.scalars(select(Post).where(Post.region_id.in_(access.region_chain(enterprise.region)))
                                   .order_by(Post.rank, Post.code)))


def save_post(actor, data: dict[str, Any], post: Post | None = None) -> Post:
    """Add or change a post (admin): code, title, region, qualifying program levels, rank, usual count."""
    access.require_manage_posts(actor)
    code = (data.get("code") or "").strip().lower()
    problems: dict[str, Any] = {}
    if not POST_CODE.match(code):
        problems["code"] = _l("岗位代码为2至32位小写字母、数字或短横线，例如 ln-cso")
    elif (clash := post_by_code(code)) is not None and clash is not post:
        problems["code"] = _l("该岗位代码已被使用")
    title = (data.get("title") or "").strip()
    if not title or len(title) > 64:
        problems["title"] = _l("请填写岗位名称（不超过64字）")
    if data.get("region") is None:
        problems["region"] = _l("请选择岗位所属行政区划")
    levels = list(data.get("levels") or [])
    if not levels or any(ProgramLevel.get(level) is None for level in levels):
        problems["levels"] = _l("请至少选择一个可任职的培训项目层级")
    rank, usual = data.get("rank"), data.get("usual_count")
    if not isinstance(rank, int) or not 1 <= rank <= 99:
        problems["rank"] = _l("排序应为 1 到 99 的整数")
    if usual is not None and (not isinstance(usual, int) or not 1 <= usual <= 99):
        problems["usual_count"] = _l("通常配备人数应为 1 到 99 的整数，或留空")
    if problems:
        raise ValidationFailed(_l("岗位信息有误"), problems)
    created = post is None
    post = post or Post()
    order = list(ProgramLevel.values())
    post.code, post.title, post.region, post.levels = code, title, data["region"], sorted(set(levels), key=order.index)
    post.rank, post.usual_count, post.description = rank, usual, (data.get("description") or "").strip()
    db.session.add(post)
    audit.record(actor, "post.create" if created else "post.update", post, code=code)
    return post


# ---- people and their certificates ------------------------------------------------------------

def employees(actor, enterprise_id: int | None = None) -> list[TraineeProfile]:
    """The profiles of the employees of the actor's enterprises (HR), or of one of them."""
    own = enterprise_ids(actor)
    if enterprise_id is not None:
        own &= {enterprise_id}
    return list(db.session.scalars(select(TraineeProfile).where(TraineeProfile.enterprise_id.in_(sorted(own) or [-1]))
                                   .order_by(TraineeProfile.name)))


def valid_certificates(user_ids, day: date | None = None) -> dict[int, list[Certificate]]:
    """Each person's certificates valid on `day` (not revoked, superseded or past valid_until)."""
    day = day or local_today()
    found: dict[int, list[Certificate]] = {}
    for certificate in db.session.scalars(select(Certificate).where(
            Certificate.user_id.in_(list(user_ids) or [-1]), Certificate.status == CertificateStatus.VALID,
            Certificate.valid_until >= day).order_by(Certificate.issued_on.desc(), Certificate.id.desc())):
        found.setdefault(certificate.user_id, []).append(certificate)
    return found


def program_levels(certificates: list[Certificate]) -> dict[int, str]:
    """Program level of each certificate (by certificate id)."""
    ids = {c.program_id for c in certificates}
    levels = dict(db.session.execute(select(Program.id, Program.level).where(Program.id.in_(ids or [-1]))).all())
    return {c.id: levels[c.program_id] for c in certificates}


def qualifying_certificate(user_id: int, post: Post, day: date | None = None) -> Certificate | None:
    """The person's newest certificate, valid on `day`, of a program level that qualifies for the post."""
    certificates = valid_certificates([user_id], day).get(user_id, [])
    levels = program_levels(certificates)
    return next((c for c in certificates if levels[c.id] in post.levels), None)


# ---- appointments -----------------------------------------------------------------------------

@dataclass
class Recorded:
    appointment: Appointment
    warnings: list[Any] = field(default_factory=list)  # lazy strings: allowed, but worth a look


def get_appointment(actor, appointment_id: int) -> Appointment:
    return one_or_404(access.visible_appointments(actor).where(Appointment.id == appointment_id))


def own_appointments(actor) -> list[Appointment]:
    return list(db.session.scalars(select(Appointment).where(Appointment.user_id == actor.id)
                                   .order_by(Appointment.starts_on.desc(), Appointment.id.desc())))


def enterprise_appointments(actor, enterprise_ids_: set[int]) -> list[Appointment]:
    return list(db.session.scalars(access.visible_appointments(actor)
                                   .where(Appointment.enterprise_id.in_(sorted(enterprise_ids_) or [-1]))
                                   .order_by(Appointment.status, Appointment.starts_on.desc())))


def _employee(actor, person_id: Any, problems: dict) -> TraineeProfile | None:
    """The person's profile, when they work for an enterprise the actor appoints for."""
    if isinstance(person_id, bool) or not isinstance(person_id, int):
        problems["person_id"] = _l("请选择要聘任的员工")
        return None
    profile = db.session.scalar(select(TraineeProfile).where(TraineeProfile.user_id == person_id))
    if profile is None or profile.enterprise is None or not access.can_appoint(actor, profile.enterprise):
        problems["person_id"] = _l("该人员不是本企业的员工（以其个人资料中的工作单位为准）")
        return None
    return profile


def _day(value: Any, name: str, problems: dict, label) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems[name] = _l("请填写%(what)s（格式 YYYY-MM-DD）", what=label)
    return None


def record_appointment(actor, data: dict[str, Any], letter: tuple[str, bytes] | None = None) -> Recorded:
    """HR (or an admin) appoints an employee: `person_id, post_code, starts_on, full_time,
    document_no`, and optionally the scanned letter as (filename, bytes). A post the person
    holds no qualifying certificate for, and more people in a post than the region usually
    has, are allowed and come back as warnings."""
    access.require_appointer(actor)
    problems: dict[str, Any] = {}
    profile = _employee(actor, data.get("person_id"), problems)
    post = post_by_code(data.get("post_code"))
    enterprise = profile.enterprise if profile else None
    if post is None:
        problems["post_code"] = _l("请选择岗位")
    elif enterprise is not None and post not in posts_for(enterprise):
        problems["post_code"] = _l("该岗位不适用于企业所在地区（%(region)s）", region=enterprise.region.full_name)
    starts_on = _day(data.get("starts_on"), "starts_on", problems, _l("聘任日期"))
    if starts_on is not None and starts_on > local_today() + timedelta(days=366):
        problems["starts_on"] = _l("聘任日期不能晚于一年之后")
    full_time = data.get("full_time", True)
    if not isinstance(full_time, bool):
        problems["full_time"] = _l("应为 true（专职）或 false（兼职）")
    document_no = data.get("document_no") or ""
    if not isinstance(document_no, str) or len(document_no.strip()) > 64:
        problems["document_no"] = _l("聘任文件文号不超过64字")
    if letter is not None:
        try:
            kind = uploads.check_document(letter[1], "letter")
        except ValidationFailed as error:
            problems.update(error.fields)
    if profile and post and not problems and _active(profile.user_id, enterprise.id, post.id) is not None:
        problems["post_code"] = _l("该员工已在本企业担任此岗位")
    if problems:
        raise ValidationFailed(_l("聘任信息有误"), problems)
    appointment = Appointment(user_id=profile.user_id, enterprise=enterprise, post=post, starts_on=starts_on,
                              full_time=full_time, document_no=document_no.strip(), created_by_id=actor.id,
                              status=AppointmentStatus.ACTIVE)
    db.session.add(appointment)
    db.session.flush()
    if letter is not None:
        _keep_letter(appointment, letter, kind)
    audit.record(actor, "appointment.create", appointment, person=profile.user_id, post=post.code,
                 enterprise=enterprise.id)
    notify(profile.user_id, APPOINTED, "/my/appointments", enterprise=enterprise.name, post=post.title)
    return Recorded(appointment, appointment_warnings(appointment))


def _active(user_id: int, enterprise_id: int, post_id: int) -> Appointment | None:
    return db.session.scalar(select(Appointment).where(
        Appointment.user_id == user_id, Appointment.enterprise_id == enterprise_id, Appointment.post_id == post_id,
        Appointment.status == AppointmentStatus.ACTIVE))


def appointment_warnings(appointment: Appointment) -> list[Any]:
    warnings: list[Any] = []
    post = appointment.post
    if qualifying_certificate(appointment.user_id, post) is None:
        warnings.append(_l("该员工没有适用于“%(post)s”的有效合格证：聘任已记录，并标注为“无对应合格证”", post=post.title))
    if post.usual_count:
        holders = db.session.scalar(select(func.count(Appointment.id)).where(
            Appointment.enterprise_id == appointment.enterprise_id, Appointment.post_id == post.id,
            Appointment.status == AppointmentStatus.ACTIVE)) or 0
        if holders > post.usual_count:
            warnings.append(_l("本企业现有 %(holders)s 名在聘的“%(post)s”，该岗位一般配备 %(usual)s 名",
                               holders=holders, post=post.title, usual=post.usual_count))
    return warnings


def qualified(appointments: list[Appointment]) -> dict[int, bool]:
    """Whether each appointee holds a valid certificate qualifying for the post (by appointment id)."""
    certificates = valid_certificates({a.user_id for a in appointments})
    levels = program_levels([c for group in certificates.values() for c in group])
    return {a.id: any(levels[c.id] in a.post.levels for c in certificates.get(a.user_id, [])) for a in appointments}


def end_appointment(actor, appointment: Appointment, data: dict[str, Any]) -> Appointment:
    """End an active appointment: `ended_on` (not before it started, not in the future), `reason`."""
    access.require_appoint(actor, appointment.enterprise)
    if not appointment.active:
        raise Conflict(_l("该聘任已经结束"))
    problems: dict[str, Any] = {}
    ended_on = _day(data.get("ended_on"), "ended_on", problems, _l("解聘日期"))
    if ended_on is not None and ended_on < appointment.starts_on:
        problems["ended_on"] = _l("解聘日期不能早于聘任日期（%(day)s）", day=appointment.starts_on.isoformat())
    elif ended_on is not None and ended_on > local_today():
        problems["ended_on"] = _l("解聘日期不能晚于今天")
    reason = EndReason.get(data.get("reason"))
    if reason is None:
        problems["reason"] = _l("请选择结束原因")
    note = data.get("note") or ""
    if not isinstance(note, str) or len(note) > 500:
        problems["note"] = _l("说明不超过500字")
    if problems:
        raise ValidationFailed(_l("解聘信息有误"), problems)
    appointment.status, appointment.ended_on, appointment.end_reason = AppointmentStatus.ENDED, ended_on, reason
    appointment.end_note, appointment.ended_at, appointment.ended_by_id = note.strip(), utcnow(), actor.id
    audit.record(actor, "appointment.end", appointment, reason=reason.value, ended_on=ended_on.isoformat())
    notify(appointment.user_id, ENDED, "/my/appointments", enterprise=appointment.enterprise.name,
           post=appointment.post.title)
    return appointment


# ---- the appointment letter -------------------------------------------------------------------

def _keep_letter(appointment: Appointment, letter: tuple[str, bytes], kind: tuple[str, str]) -> None:
    filename, data = letter
    content_type, ext = kind
    appointment.letter_path = uploads.store(f"appointments/{appointment.id}", ext, data)
    appointment.letter_name = os.path.basename((filename or "").replace("\\", "/")).strip()[:200] or f"letter.{ext}"
    appointment.letter_type = content_type


def letter_file(appointment: Appointment):
    """The stored letter (path, name, type) of an appointment already fetched within scope."""
    if not appointment.letter_path:
        raise NotFound(_l("该聘任没有上传聘任文件"))
    return uploads.stored_path(appointment.letter_path), appointment.letter_name, appointment.letter_type


def appointment_json(appointment: Appointment, is_qualified: bool | None = None) -> dict[str, Any]:
    return {"id": appointment.id, "person_id": appointment.user_id, "status": appointment.status.value,
            "post_code": appointment.post.code, "post_title": appointment.post.title,
            "enterprise_uscc": appointment.enterprise.uscc, "enterprise_name": appointment.enterprise.name,
            "starts_on": appointment.starts_on.isoformat(), "full_time": appointment.full_time,
            "document_no": appointment.document_no,
            "ended_on": appointment.ended_on.isoformat() if appointment.ended_on else None,
            "end_reason": appointment.end_reason.value if appointment.end_reason else None,
            "qualified": is_qualified if is_qualified is not None else qualified([appointment])[appointment.id]}

