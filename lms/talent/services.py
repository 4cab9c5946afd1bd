"""The filing's lifecycle: draft → submitted (the person) → endorsed (enterprise HR) →
accepted (a city bureau: filing number, talent entry), or → returned with a reason (the
person edits and submits again). Each step is audited and tells the next actor.

A filing needs a valid certificate qualifying for the post and an active appointment of the
person; both are checked again at every step, and the form's system values (profile,
enterprise, appointment, certificate) are taken afresh, so what is accepted is what is true.
"""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.appointments import services as appointments
from lms.appointments.models import Appointment, Post
from lms.certificates.issuing import active_template
from lms.core import audit
from lms.core.errors import Conflict, ValidationFailed
from lms.core.permissions import enterprise_ids, one_or_404
from lms.core.time import utcnow
from lms.enrollment.cohorts import local_today
from lms.enrollment.profiles import profile_of
from lms.extensions import db
from lms.notifications.services import message, notify
from lms.talent import access, form
from lms.talent.models import EDITABLE, Filing, FilingStatus, TalentEntry
from lms.talent.pdf import FilingDocument, render_filing

TO_ENDORSE = message("talent.to_endorse", _l("%(name)s提交了人才库信息备案表，请确认"))
TO_ACCEPT = message("talent.to_accept", _l("%(enterprise)s已确认%(name)s的信息备案表，请受理"))
ENDORSED = message("talent.endorsed", _l("您的信息备案表已经企业确认，等待市场监管部门受理"))
ACCEPTED = message("talent.accepted", _l("%(name)s的信息备案表已受理，备案编号 %(filing_no)s，已纳入人才库"))
RETURNED = message("talent.returned", _l("您的信息备案表被退回：%(reason)s"))


def get_filing(actor, filing_id: int) -> Filing:
    return one_or_404(access.visible_filings(actor).where(Filing.id == filing_id))


def view_filing(actor, filing_id: int) -> Filing:
    """A filing for its page: someone else's personal data seen is audited."""
    filing = get_filing(actor, filing_id)
    if filing.user_id != actor.id:
        audit.record(actor, "filing.view", filing, person=filing.user_id)
    return filing


def enterprise_filings(actor) -> list[Filing]:
    """The filings of the actor's enterprises (HR), those waiting for it first."""
    own = sorted(enterprise_ids(actor)) or [-1]
    filings = db.session.scalars(access.visible_filings(actor).where(Filing.enterprise_id.in_(own))
                                 .order_by(Filing.id.desc())).all()
    return sorted(filings, key=lambda f: f.status != FilingStatus.SUBMITTED)


def own_filings(actor) -> list[Filing]:
    return list(db.session.scalars(select(Filing).where(Filing.user_id == actor.id).order_by(Filing.id.desc())))


def awaiting_endorsement(actor) -> list[Filing]:
    return [f for f in db.session.scalars(access.visible_filings(actor).where(
        Filing.status == FilingStatus.SUBMITTED).order_by(Filing.submitted_at)) if access.can_endorse(actor, f)]


def awaiting_acceptance(actor) -> list[Filing]:
    return [f for f in db.session.scalars(access.visible_filings(actor).where(
        Filing.status == FilingStatus.ENDORSED).order_by(Filing.endorsed_at)) if access.can_accept(actor, f)]


def _grounds(filing: Filing, field: str = "appointment_id"):
    """The certificate and appointment a filing stands on, as they are today, or the refusal."""
    appointment = filing.appointment
    if not appointment.active:
        raise ValidationFailed(_l("该聘任已结束，不能备案"), {field: _l("该聘任已结束，不能备案")})
    certificate = appointments.qualifying_certificate(filing.user_id, appointment.post)
    if certificate is None:
        problem = _l("没有适用于“%(post)s”的有效合格证", post=appointment.post.title)
        raise ValidationFailed(problem, {field: problem})
    return certificate


def _refresh(filing: Filing) -> None:
    certificate = _grounds(filing, "filing")
    filing.certificate = certificate
    profile = profile_of(filing.user)
    filing.form = {**filing.form, **form.system_values(profile, filing.appointment, certificate)}


def start_filing(actor, appointment_id: Any) -> Filing:
    """A draft for one of the person's own active appointments, prefilled from the profile, the
    appointment and the certificate (and the person's own fields from their last filing)."""
    if isinstance(appointment_id, bool) or not isinstance(appointment_id, int):
        raise ValidationFailed(_l("请选择聘任"), {"appointment_id": _l("请选择聘任")})
    appointment = db.session.scalar(select(Appointment).where(Appointment.id == appointment_id,
                                                              Appointment.user_id == actor.id))
    if appointment is None:
        raise ValidationFailed(_l("没有这项聘任"), {"appointment_id": _l("您没有这项聘任")})
    profile = profile_of(actor)
    if profile is None:
        raise ValidationFailed(_l("请先完善个人资料"), {"appointment_id": _l("请先完善个人资料")})
    earlier = db.session.scalars(select(Filing).where(Filing.appointment_id == appointment.id)).all()
    if accepted := next((f for f in earlier if f.status == FilingStatus.ACCEPTED), None):
        raise Conflict(_l("这项聘任已经备案（备案编号 %(no)s）", no=accepted.filing_no))
    if earlier:
        raise ValidationFailed(_l("这项聘任已有一份未完成的备案表"),
                               {"appointment_id": _l("这项聘任已有一份未完成的备案表，请继续填写那一份")})
    filing = Filing(user_id=actor.id, user=actor, appointment=appointment, enterprise_id=appointment.enterprise_id,
                    status=FilingStatus.DRAFT, form={})
    certificate = _grounds(filing)
    last = db.session.scalar(select(Filing).where(Filing.user_id == actor.id).order_by(Filing.id.desc()))
    own = {name: last.form.get(name) for name in form.PERSON_FIELDS} if last else form.blank_person_values()
    filing.certificate = certificate
    filing.form = {**own, **form.system_values(profile, appointment, certificate)}
    try:
        with db.session.begin_nested():
            db.session.add(filing)
    except IntegrityError:  # another request opened one for this appointment first
        raise ValidationFailed(_l("这项聘任已有一份未完成的备案表"),
                               {"appointment_id": _l("这项聘任已有一份未完成的备案表，请继续填写那一份")}) from None
    audit.record(actor, "filing.create", filing, appointment=appointment.id)
    return filing


def save_filing(actor, filing: Filing, data: dict[str, Any]) -> Filing:
    """The person's own fields (PERSON_FIELDS) of a draft or returned filing; others are ignored."""
    access.require_edit(actor, filing)
    if not filing.editable:
        raise Conflict(_l("备案表已提交，不能再修改"))
    filing.form = {**filing.form, **form.clean_person_values(data)}
    return filing


def submit_filing(actor, filing: Filing) -> Filing:
    access.require_edit(actor, filing)
    if not filing.editable:
        raise Conflict(_l("备案表已提交"))
    _refresh(filing)
    if missing := form.missing_to_submit(filing.form):
        raise ValidationFailed(_l("备案表还有必填项未填写"), missing)
    filing.status, filing.submitted_at = FilingStatus.SUBMITTED, utcnow()
    audit.record(actor, "filing.submit", filing)
    for user_id in access.hr_of(filing.enterprise_id):
        notify(user_id, TO_ENDORSE, f"/talent/filings/{filing.id}", name=filing.form["name"])
    return filing


def endorse_filing(actor, filing: Filing) -> Filing:
    access.require_endorse(actor, filing)
    if filing.status != FilingStatus.SUBMITTED:
        raise Conflict(_l("只有待企业确认的备案表可以确认"))
    _refresh(filing)
    filing.status, filing.endorsed_at, filing.endorsed_by_id = FilingStatus.ENDORSED, utcnow(), actor.id
    audit.record(actor, "filing.endorse", filing)
    notify(filing.user_id, ENDORSED, f"/talent/filings/{filing.id}")
    for user_id in access.acceptors_of(filing.enterprise):
        notify(user_id, TO_ACCEPT, f"/talent/filings/{filing.id}", name=filing.form["name"],
               enterprise=filing.enterprise.name)
    return filing


def accept_filing(actor, filing: Filing) -> Filing:
    """Give the filing its number and put the person in the talent pool."""
    access.require_accept(actor, filing)
    if filing.status != FilingStatus.ENDORSED:
        raise Conflict(_l("只有企业已确认的备案表可以受理"))
    _refresh(filing)
    today = local_today()
    unit = access.filing_unit(filing.enterprise.region)
    prefix = f"{unit.code}-{today.year}-"
    for _attempt in range(5):  # two acceptors racing for a number: the loser takes the next one
        last = db.session.scalar(select(func.max(Filing.filing_no)).where(Filing.filing_no.startswith(prefix)))
        number = f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"
        try:
            with db.session.begin_nested():
                filing.filing_no = number
                db.session.flush()
            break
        except IntegrityError:
            filing.filing_no = None
    else:
        raise Conflict(_l("备案编号分配冲突，请稍后重试"))
    filing.status, filing.accepted_at, filing.accepted_by_id = FilingStatus.ACCEPTED, utcnow(), actor.id
    db.session.add(TalentEntry(filing=filing, user_id=filing.user_id, enterprise_id=filing.enterprise_id,
                               post_id=filing.appointment.post_id, certificate_id=filing.certificate_id,
                               accepted_on=today, achievements_text=form.achievements_text(filing.form)))
    audit.record(actor, "filing.accept", filing, filing_no=number)
    for user_id in {filing.user_id, *access.hr_of(filing.enterprise_id)}:
        notify(user_id, ACCEPTED, f"/talent/filings/{filing.id}", name=filing.form["name"], filing_no=number)
    return filing


def return_filing(actor, filing: Filing, reason: Any) -> Filing:
    """Send it back to the person with the reason: HR before endorsing, the bureau before accepting."""
    if filing.status not in (FilingStatus.SUBMITTED, FilingStatus.ENDORSED):
        raise Conflict(_l("只有待确认或待受理的备案表可以退回"))
    access.require_return(actor, filing)
    if not isinstance(reason, str) or not reason.strip() or len(reason.strip()) > 500:
        raise ValidationFailed(_l("请填写退回原因"), {"reason": _l("请填写退回原因（不超过500字）")})
    filing.status, filing.return_reason = FilingStatus.RETURNED, reason.strip()
    filing.returned_at, filing.returned_by_id = utcnow(), actor.id
    filing.endorsed_at = filing.endorsed_by_id = None
    audit.record(actor, "filing.return", filing, reason=filing.return_reason)
    notify(filing.user_id, RETURNED, f"/talent/filings/{filing.id}", reason=filing.return_reason)
    return filing


def filing_pdf(filing: Filing) -> bytes:
    """The 备案表 as it stands (a draft prints too, marked by its status), in Chinese."""
    template = active_template()
    posts = db.session.scalars(select(Post.title).where(Post.region_id == filing.appointment.post.region_id)
                               .order_by(Post.rank, Post.code)).all()
    with force_locale("zh_CN"):
        document = FilingDocument(title=form.form_title(list(posts), "信息备案表"), values=filing.form,
                                  filing_no=filing.filing_no, status=filing.status.label,
                                  staff_url=f"{current_app.config['PUBLIC_BASE_URL']}/talent/filings/{filing.id}")
        return render_filing(document, template.fonts[template.default_font])


def filing_json(filing: Filing) -> dict[str, Any]:
    return {"id": filing.id, "status": filing.status.value, "appointment_id": filing.appointment_id,
            "filing_no": filing.filing_no, "return_reason": filing.return_reason if filing.status in EDITABLE else "",
            "form": filing.form}
