"""Certificates after issue: scoped reads, revocation, the public view and the holder's check log.

The issuing steps live in lms.certificates.issuing; this module re-exports issue/reissue so
views, the API and the CLI import one place.
"""
from __future__ import annotations

import hashlib
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false, func, or_, select

from lms.certificates.issuing import current_certificate, issue, reissue, stored_pdf_path  # noqa: F401
from lms.certificates import access
from lms.certificates.enums import Agent, CertificateStatus, Channel, TokenState, verdict_of
from lms.certificates.models import Certificate, VerificationEvent, status_on
from lms.certificates.numbers import normalize_cert_no
from lms.certificates.signing import attach, is_detached, qr_claims
from lms.core import audit
from lms.core.errors import Conflict, NotFound, ValidationFailed
from lms.core.masking import mask_id_number, mask_name
from lms.core.permissions import institution_ids, is_admin, one_or_404
from lms.core.time import utcnow
from lms.enrollment.cohorts import local_today
from lms.enrollment.models import Cohort
from lms.extensions import db
from lms.orgs.scope import region_clause


# ---- scoped reads ----------------------------------------------------------------------

def staff_clause(actor):
    """Admin: all; institution staff: their institution's; bureau: cohorts held in their region."""
    if is_admin(actor):
        return Certificate.id.is_not(None)
    clauses = []
    if own := institution_ids(actor, "institution"):
        clauses.append(Certificate.institution_id.in_(sorted(own)))
    if actor is not None and actor.grants_for("bureau"):
        clauses.append(Certificate.cohort_id.in_(select(Cohort.id).where(region_clause(actor, Cohort.region_id))))
    return or_(*clauses) if clauses else false()


def visible_certificates(actor, query: str = "") -> Select:
    stmt = select(Certificate).where(staff_clause(actor))
    query = (query or "").strip()
    if query:
        number = normalize_cert_no(query)
        stmt = stmt.where(or_(Certificate.cert_no.startswith(number, autoescape=True),
                              Certificate.holder_name.contains(query, autoescape=True)))
    return stmt.order_by(Certificate.issued_at.desc(), Certificate.id.desc())


def get_certificate(actor, cert_no: str) -> Certificate:
    return one_or_404(visible_certificates(actor).where(Certificate.cert_no == normalize_cert_no(cert_no)))


def own_certificates(actor) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == actor.id)
                                   .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))


def get_own_certificate(actor, cert_no: str) -> Certificate:
    return one_or_404(select(Certificate).where(Certificate.user_id == actor.id,
                                                Certificate.cert_no == normalize_cert_no(cert_no)))


def cohort_certificates(cohort_id: int) -> dict[int, Certificate]:
    """Current certificate per application of a cohort."""
    rows = db.session.scalars(select(Certificate).where(Certificate.cohort_id == cohort_id,
                                                        Certificate.status != CertificateStatus.SUPERSEDED))
    return {c.application_id: c for c in rows}


manages_certificate = access.can_manage  # the name other domains (renewal) import


def stored_pdf(certificate: Certificate) -> bytes:
    """The file as issued. If it no longer matches the SHA-256 recorded at issue, it is not
    served: nothing is regenerated or altered behind the holder's back."""
    try:
        content = stored_pdf_path(certificate).read_bytes()
    except OSError:
        raise NotFound(_l("证书文件缺失，请联系发证机构")) from None
    if hashlib.sha256(content).hexdigest() != certificate.pdf_sha256:
        current_app.logger.error("stored PDF of %s does not match its SHA-256", certificate.cert_no)
        raise Conflict(_l("证书文件校验失败，请联系发证机构"))
    return content


# ---- revocation ------------------------------------------------------------------------

def revoke(actor, certificate: Certificate, reason: str) -> Certificate:
    access.require_manage(actor, certificate)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_l("请填写撤销理由"), {"reason": _l("请填写撤销理由（将在核验页面公开显示）")})
    if len(reason) > 500:
        raise ValidationFailed(_l("撤销理由过长"), {"reason": _l("撤销理由不能超过 500 字")})
    if certificate.status == CertificateStatus.REVOKED:
        raise Conflict(_l("该证书已被撤销"))
    if certificate.status == CertificateStatus.SUPERSEDED:
        raise Conflict(_l("该证书已被新版本替代；如需撤销，请撤销最新版本"))
    certificate.status, certificate.revoked_at = CertificateStatus.REVOKED, utcnow()
    certificate.revoked_by_id, certificate.revoked_reason = getattr(actor, "id", None), reason
    audit.record(actor, "certificate.revoke", certificate, cert_no=certificate.cert_no, reason=reason)
    return certificate


# ---- the public view (lms.verify runs the check) ------------------------------------------------------------------

def token_state(certificate, token: str | None) -> TokenState:
    """`absent` when no token came with the check; else whether it is the one this version
    carries: as stored (what the QR code holds), or a QR token of the current format with
    this record's claims put back in (signing.attach: what an offline verifier makes of it)."""
    if token is None:
        return TokenState.ABSENT
    token, stored = token.strip(), certificate.token or ""
    if stored and token == stored:
        return TokenState.VALID
    if stored and is_detached(stored) and token.count(".") == 2:
        claims = qr_claims(cert_no=certificate.cert_no, holder_name=certificate.holder_name,
                           issue_date=certificate.issued_on, valid_until=certificate.valid_until)
        if token == attach(stored, claims):
            return TokenState.VALID
    return TokenState.INVALID


def token_matches(certificate, token: str | None) -> bool | None:
    """None when no token came with the check; else whether it is the one this version carries."""
    state = token_state(certificate, token)
    return None if state == TokenState.ABSENT else state == TokenState.VALID


def public_view(certificate, token: str | None = None, today: date | None = None,
                pdf_genuine: bool | None = None) -> dict:
    """What anyone may see: never the full name, ID number, phone or e-mail. `certificate`
    is a Certificate or a lookup() row. `token` is the QR code's (None: the check came
    without one), `pdf_genuine` whether an uploaded file is the issued one (None: no
    upload). `verdict` is the worst of what the check knows (DESIGN §9)."""
    status = status_on(certificate.status, certificate.valid_until, today or local_today())
    token = token_state(certificate, token)
    revoked = status == CertificateStatus.REVOKED
    superseded = status == CertificateStatus.SUPERSEDED
    return {
        "cert_no": certificate.cert_no, "version": certificate.version, "status": status.value,
        "status_label": status.label, "verdict": verdict_of(status, token, pdf_genuine).value, "token": token.value,
        "holder_name": mask_name(certificate.holder_name),
        "id_number": mask_id_number(certificate.holder_id_number), "program_code": certificate.program_code,
        "program_title": certificate.program_title, "institution_code": certificate.institution_code,
        "institution_name": certificate.institution_name, "hours": certificate.hours,
        "issued_on": certificate.issued_on.isoformat(), "valid_until": certificate.valid_until.isoformat(),
        "revoked_reason": certificate.revoked_reason if revoked else None,
        "revoked_on": certificate.revoked_at.date().isoformat() if revoked and certificate.revoked_at else None,
        "superseded_on": (certificate.superseded_at.date().isoformat()
                          if superseded and certificate.superseded_at else None),
        "token_matched": None if token == TokenState.ABSENT else token == TokenState.VALID,
        "pdf_genuine": pdf_genuine,
    }


def verification_summary(certificate_ids: list[int]) -> dict[int, dict]:
    """Per certificate: how many checks, how many of them suspect, and the latest few in words
    (check_entries), for the holder and staff."""
    if not certificate_ids:
        return {}
    counts = dict(db.session.execute(
        select(VerificationEvent.certificate_id, func.count()).where(
            VerificationEvent.certificate_id.in_(certificate_ids)).group_by(VerificationEvent.certificate_id)).all())
    suspects = dict(db.session.execute(
        select(VerificationEvent.certificate_id, func.count()).where(
            VerificationEvent.certificate_id.in_(certificate_ids), VerificationEvent.token_matched.is_(False))
        .group_by(VerificationEvent.certificate_id)).all())
    summary = {}
    for certificate_id in certificate_ids:
        recent = db.session.scalars(select(VerificationEvent).where(VerificationEvent.certificate_id == certificate_id)
                                    .order_by(VerificationEvent.at.desc(), VerificationEvent.id.desc()).limit(20)).all()
        summary[certificate_id] = {"count": counts.get(certificate_id, 0), "suspect": suspects.get(certificate_id, 0),
                                   "recent": check_entries(recent)}
    return summary


def check_entries(events) -> list[dict]:
    """The holder's check log in words: when, from where (city from VERIFY_PLACES_FILE, 内网,
    or 互联网), how (QR scan or page, API, PDF check; which app), and whether what was shown
    did not match the record (a forged QR code, an altered file): `suspect` and its note."""
    from lms.certificates.places import place_of

    entries = []
    for event in events:
        channel = Channel(event.channel)
        suspect = event.token_matched is False
        note = None
        if suspect:
            note = _l("上传的文件不是原始文件，可能被篡改") if channel == Channel.PDF_CHECK else _l(
                "所出示的二维码与记录不一致，可能是伪造的证书")
        agent = Agent.get(event.agent)
        entries.append({"at": event.at, "place": place_of(event.network), "network": event.network,
                        "channel": channel.label, "agent": agent.label if agent else event.agent,
                        "suspect": suspect, "note": note})
    return entries


def certificate_json(certificate: Certificate, pdf_url: str | None, verify_url: str | None = None) -> dict:
    """The certificate as DESIGN §6 names it (holder and staff views)."""
    data = {"cert_no": certificate.cert_no, "version": certificate.version,
            "status": certificate.status_on(local_today()), "issued_on": certificate.issued_on.isoformat(),
            "valid_until": certificate.valid_until.isoformat(), "program_code": certificate.program_code,
            "pdf_url": pdf_url}
    if verify_url:
        data["verify_url"] = verify_url
    return data


def share_url(certificate: Certificate) -> str:
    from lms.certificates.signing import verify_url

    return verify_url(current_app.config["PUBLIC_BASE_URL"], certificate.cert_no, certificate.token)
