"""Declared hours (学时申报): a certificate holder declares a training, publication, standard
drafted… with its dates, category, hours and proof; the institution of their certificate or
their bureau approves it (possibly with fewer hours) or rejects it with a reason.

Hours: more than 0, at most DAILY_MAX a day over the claim's days, counting what the person
already declared (pending or approved) or was credited for activities on those days. A claim
may not be dated in the future or before the person's first certificate. Approval credits the
approved hours once: a second approval does nothing, and a rejection after approval is refused.
"""
from __future__ import annotations

import os
from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, update

from lms.ce import access, ledger, validate
from lms.ce.enums import Category, ClaimDecision, ClaimKind, ClaimStatus, CreditSource
from lms.ce.models import CeClaim, CeCredit
from lms.certificates.enums import CertificateStatus
from lms.certificates.models import Certificate
from lms.core import audit
from lms.core.errors import Conflict, NotFound, ValidationFailed
from lms.core.time import utcnow
from lms.enrollment.cohorts import local_today
from lms.enrollment.uploads import check_document, store, stored_path
from lms.extensions import db
from lms.notifications.services import message, notify

DAILY_MAX = 8.0
MAX_DAYS = 366

APPROVED = message("ce.claim_approved", _l("您申报的“%(title)s”已通过审核，记入 %(hours)s 学时"))
REJECTED = message("ce.claim_rejected", _l("您申报的“%(title)s”未通过审核：%(note)s"))


# ---- reading ------------------------------------------------------------------------------

def reviewable_claims(actor, status: ClaimStatus | None = ClaimStatus.PENDING) -> Select:
    stmt = select(CeClaim).where(access.claim_review_clause(actor, CeClaim.user_id))
    if status is not None:
        stmt = stmt.where(CeClaim.status == status)
    return stmt.order_by(CeClaim.submitted_at, CeClaim.id)


def get_claim(actor, claim_id: int) -> CeClaim:
    """The actor's own claim, or one they review; anything else is not found."""
    claim = db.session.get(CeClaim, claim_id)
    if claim is None or not (claim.user_id == actor.id or access.can_review(actor, claim)):
        raise NotFound(_l("未找到该申报，或您无权查看"))
    return claim


def own_claims(actor) -> list[CeClaim]:
    return list(db.session.scalars(select(CeClaim).where(CeClaim.user_id == actor.id)
                                   .order_by(CeClaim.submitted_at.desc(), CeClaim.id.desc())))


def read_upload(upload, limit: int | None = None) -> tuple[str, bytes]:
    """(file name, at most limit + 1 bytes) of an uploaded file, which is closed: large uploads
    are spooled to a temporary file. No upload: ("", b"")."""
    if upload is None:
        return "", b""
    limit = limit or proof_limit()
    try:
        return upload.filename or "", upload.stream.read(limit + 1)
    finally:
        upload.close()


def proof_limit() -> int:
    return current_app.config.get("CE_PROOF_MAX_BYTES") or 5 * 1024 * 1024


def proof_file(claim: CeClaim):
    return stored_path(claim.proof_path)


# ---- declaring -----------------------------------------------------------------------------

def first_certified_on(user_id: int) -> date | None:
    return db.session.scalar(select(func.min(Certificate.issued_on)).where(
        Certificate.user_id == user_id, Certificate.status != CertificateStatus.REVOKED))


def _days(first: date, last: date) -> int:
    return (last - first).days + 1


def hours_already_on(user_id: int, first: date, last: date) -> float:
    """Hours the person declared (pending or approved) or was credited for activities on these
    days; a claim spanning more days counts by the share of its days that overlap."""
    total = 0.0
    for claim in db.session.scalars(select(CeClaim).where(
            CeClaim.user_id == user_id, CeClaim.status != ClaimStatus.REJECTED,
            CeClaim.happened_on <= last, CeClaim.ended_on >= first)):
        overlap = _days(max(first, claim.happened_on), min(last, claim.ended_on))
        total += (claim.approved_hours or claim.hours) * overlap / _days(claim.happened_on, claim.ended_on)
    total += db.session.scalar(select(func.coalesce(func.sum(CeCredit.hours), 0)).where(
        CeCredit.user_id == user_id, CeCredit.source == CreditSource.ACTIVITY,
        CeCredit.earned_on >= first, CeCredit.earned_on <= last)) or 0
    return round(total, 2)


def declare(actor, data: dict, proof_name: str, proof: bytes, today: date | None = None) -> CeClaim:
    """`data`: kind, title, category, hours, happened_on, ended_on (optional, default the same
    day; dates or ISO text); `proof`: the file's bytes (PDF, JPEG or PNG)."""
    access.require_person(actor)
    today = today or local_today()
    certified_on = first_certified_on(actor.id)
    if certified_on is None:
        raise Conflict(_l("学时申报面向持有合格证的人员"))
    problems = validate.Problems()
    kind = validate.choice(data, "kind", ClaimKind, problems)
    title = validate.text(data, "title", problems)
    category = validate.choice(data, "category", Category, problems)
    first = validate.day(data.get("happened_on"), "happened_on", problems)
    last = validate.day(data.get("ended_on"), "ended_on", problems, required=False) or first
    if first and first > today:
        problems["happened_on"] = _l("不能晚于今天")
    elif first and first < certified_on:
        problems["happened_on"] = _l("不能早于您取得合格证的日期（%(day)s）", day=certified_on.isoformat())
    if first and last and last < first:
        problems["ended_on"] = _l("结束日期不能早于开始日期")
    elif first and last and last > today:
        problems["ended_on"] = _l("不能晚于今天")
    elif first and last and _days(first, last) > MAX_DAYS:
        problems["ended_on"] = _l("一次申报不能超过 %(n)s 天", n=MAX_DAYS)
    span = _days(first, last) if first and last and first <= last else 1
    hours = validate.hours(data.get("hours"), "hours", problems, high=DAILY_MAX * span)
    if hours and "happened_on" not in problems and "ended_on" not in problems:
        taken = hours_already_on(actor.id, first, last)
        if taken + hours > DAILY_MAX * span + 1e-9:
            problems["hours"] = _l("与已申报或已记入的 %(taken)s 学时在日期上重叠：这些日期最多共 %(most)s 学时",
                                   taken=f"{taken:g}", most=f"{DAILY_MAX * span:g}")
    try:
        content_type, ext = check_document(proof, "proof", proof_limit())
    except ValidationFailed as error:
        problems.update(error.fields)
    problems.raise_if_any(_l("申报信息有误"))
    name = os.path.basename((proof_name or "").replace("\\", "/")).strip()[:200] or f"proof.{ext}"
    claim = CeClaim(user_id=actor.id, kind=kind, title=title, category=category, hours=hours, happened_on=first,
                    ended_on=last, proof_path=store(f"ce-proofs/{actor.id}", ext, proof), proof_name=name,
                    proof_type=content_type, proof_size=len(proof), status=ClaimStatus.PENDING)
    db.session.add(claim)
    db.session.flush()
    audit.record(actor, "ce.claim.declare", claim, hours=hours)
    return claim


# ---- deciding ------------------------------------------------------------------------------

def _move(claim: CeClaim, **values) -> bool:
    result = db.session.execute(update(CeClaim).where(CeClaim.id == claim.id, CeClaim.status == ClaimStatus.PENDING)
                                .values(**values).execution_options(synchronize_session=False))
    db.session.refresh(claim)
    return result.rowcount == 1


def decide(actor, claim: CeClaim, decision, hours=None, note: str = "", now: datetime | None = None) -> CeClaim:
    """Approve (with the claimed hours, or fewer) or reject (a reason is required). Deciding
    the same way again changes nothing; the other way after a decision is refused (409)."""
    access.require_review(actor, claim)
    now = now or utcnow()
    problems = validate.Problems()
    chosen = validate.choice({"decision": decision}, "decision", ClaimDecision, problems)
    note = validate.text({"note": note}, "note", problems, required=chosen == ClaimDecision.REJECT, max_length=1000)
    approved_hours = None
    if chosen == ClaimDecision.APPROVE:
        approved_hours = claim.hours if hours in (None, "") else validate.hours(hours, "hours", problems,
                                                                                high=claim.hours)
    problems.raise_if_any(_l("审核意见有误"))
    wanted = ClaimStatus.APPROVED if chosen == ClaimDecision.APPROVE else ClaimStatus.REJECTED
    if claim.status == wanted:
        return claim  # decided so before: nothing changes, nothing is credited twice
    moved = _move(claim, status=wanted, approved_hours=approved_hours, note=note, decided_at=now,
                  decided_by_id=actor.id)
    if not moved:
        if claim.status == wanted:
            return claim
        raise Conflict(_l("该申报已审核为“%(status)s”", status=claim.status.label))
    if wanted == ClaimStatus.APPROVED:
        ledger.credit(claim.user_id, CreditSource.CLAIM, claim.id, hours=approved_hours, category=claim.category,
                      title=claim.title, earned_on=claim.happened_on, actor=actor)
        notify(claim.user_id, APPROVED, "/ce", title=claim.title, hours=f"{approved_hours:g}")
    else:
        notify(claim.user_id, REJECTED, "/ce", title=claim.title, note=note)
    audit.record(actor, "ce.claim.decide", claim, decision=chosen.value, hours=approved_hours, note=note)
    return claim


def claim_json(claim: CeClaim) -> dict:
    return {"id": claim.id, "user_id": claim.user_id, "status": claim.status.value, "title": claim.title,
            "kind": claim.kind.value, "category": claim.category.value, "hours": claim.hours,
            "approved_hours": claim.approved_hours, "happened_on": claim.happened_on.isoformat(),
            "ended_on": claim.ended_on.isoformat(), "note": claim.note}

