"""Renewing certificates on continuing education (DESIGN §9): a certificate near `valid_until`
is renewed as a new version (lms.certificates.issuing.reissue with a new `valid_until`; the old
version becomes superseded) when every CE year inside its validity is complete; otherwise the
refusal lists the years and the hours missing.

The CE years of a certificate are the calendar years from the year of issue to the year of
`valid_until`, as far as they have begun; each must be complete in the holder's ledger. The new
version is valid for the programme's validity years from the day after the old `valid_until`.
One at a time (the page, the API) or as a batch job with progress (the page, the CLI).
"""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from lms.ce import ledger
from lms.certificates import issuing
from lms.certificates.enums import CertificateStatus
from lms.certificates.models import Certificate
from lms.certificates.services import manages_certificate
from lms.core import audit, jobs
from lms.core.errors import AppError, Conflict, Forbidden
from lms.core.permissions import institution_ids, is_admin
from lms.enrollment.cohorts import local_today
from lms.extensions import db
from lms.notifications.services import message, notify
from lms.programs.models import Program

JOB_KIND = "renew_certificates"
RENEWED = message("ce.certificate_renewed", _l("您的合格证已续期：新证书 %(cert_no)s，有效期至 %(until)s"))


class CeIncomplete(Conflict):
    """409: the CE years that are not complete, one field per year."""

    code = "ce_incomplete"


def ce_years(certificate, today: date) -> list[int]:
    return list(range(certificate.issued_on.year, min(certificate.valid_until.year, today.year) + 1))


def missing_years(certificate, today: date | None = None) -> dict[int, ledger.Standing]:
    """The incomplete CE years of the certificate's validity, with their standing."""
    today = today or local_today()
    missing = {}
    for year in ce_years(certificate, today):
        standing = ledger.standing(certificate.user_id, year, with_credits=False)
        if not standing.complete:
            missing[year] = standing
    return missing


def refusal(missing: dict[int, ledger.Standing]) -> CeIncomplete:
    return CeIncomplete(
        _l("继续教育学时未完成，不能续期：%(years)s", years=", ".join(str(y) for y in missing)),
        {str(year): _l("%(year)s 年尚差 %(missing)s 学时（已完成 %(earned)s / %(required)s）", year=year,
                       missing=f"{s.missing_hours:g}", earned=f"{s.earned_hours:g}", required=f"{s.required_hours:g}")
         for year, s in missing.items()})


def public_section(certificate, connection) -> dict:
    """What the public certificate check adds (lms.verify.services.add_public_section): the
    holder's CE standing for the current year. Runs on the check's own connection."""
    return ledger.public_standing(certificate.user_id, local_today().year, connection)


def new_valid_until(certificate: Certificate) -> date:
    years = db.session.scalar(select(Program.certificate_validity_years).where(Program.id == certificate.program_id))
    return issuing.valid_until_for(certificate.valid_until + timedelta(days=1), years or 3)


def renew(actor, certificate: Certificate, reason: str = "", today: date | None = None) -> Certificate:
    """The new version, or CeIncomplete (409) listing the years and hours missing. `actor` None: the CLI."""
    if actor is not None and not manages_certificate(actor, certificate):
        raise Forbidden(_l("只有发证机构可以续期合格证"))
    if certificate.status != CertificateStatus.VALID:
        raise Conflict(_l("只有有效的证书可以续期"))
    missing = missing_years(certificate, today)
    if missing:
        raise refusal(missing)
    until = new_valid_until(certificate)
    renewed = issuing.reissue(actor, certificate, reason.strip() or "续期（继续教育学时已完成）", valid_until=until)
    audit.record(actor, "certificate.renew", renewed, cert_no=renewed.cert_no, supersedes=certificate.cert_no,
                 valid_until=until.isoformat())
    notify(renewed.user_id, RENEWED, "/me/certificates", cert_no=renewed.cert_no, until=until.isoformat())
    return renewed


def due(actor, within_days: int, today: date | None = None) -> Select:
    """Valid certificates the actor may renew whose validity ends within `within_days` (or has
    ended: a late renewal), soonest first. `actor` None: all (the CLI)."""
    today = today or local_today()
    stmt = select(Certificate).where(Certificate.status == CertificateStatus.VALID,
                                     Certificate.valid_until <= today + timedelta(days=within_days))
    if actor is not None and not is_admin(actor):
        stmt = stmt.where(Certificate.institution_id.in_(sorted(institution_ids(actor, "institution")) or [-1]))
    return stmt.order_by(Certificate.valid_until, Certificate.id)


def start_batch(actor, certificates: list[Certificate]) -> jobs.Job:
    """The batch job over these certificates (the web page); progress at GET /api/v1/jobs/{id}."""
    for certificate in certificates:
        if not manages_certificate(actor, certificate):
            raise Forbidden(_l("只有发证机构可以续期合格证"))
    job = jobs.create(actor, JOB_KIND, {"certificate_ids": [c.id for c in certificates]}, len(certificates))
    audit.record(actor, "certificate.renew_batch", job, count=len(certificates))
    return jobs.hand_over(job)


@jobs.job_kind(JOB_KIND)
def run_batch(job: jobs.Job, progress) -> None:
    """Renew each certificate in its own transaction; a refused one is listed with the reason."""
    from lms.accounts.models import User
    from lms.web import error_text

    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    for certificate_id in job.params["certificate_ids"]:
        certificate = db.session.get(Certificate, certificate_id)
        try:
            renew(actor, certificate)
        except AppError as error:
            db.session.rollback()
            job = db.session.get(jobs.Job, job.id)
            job.add_failure(certificate.cert_no, error_text(error))
        job.done += 1
        db.session.commit()
        progress(job)
