"""Issuing certificates: requirement checks, numbers, signed token, the PDF stored once.

Issuing is split in three steps so a batch can render in other processes:
draft_many() checks the requirements and takes numbers (database work), render_certificate()
makes the PDF (pure, CPU), complete_many() stores the files with their SHA-256 and inserts
the rows. A batch runs them per chunk of enrollments, with one query per kind of fact, one
block of serial numbers and one INSERT for the chunk; issue() runs the same steps for one
certificate (draft(), complete()), reissue() too, checking only the glyphs again.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from lms.certificates import access, requirements
from lms.certificates.enums import CertificateStatus
from lms.certificates.models import Certificate, CertificateSerial
from lms.certificates.numbers import new_cert_no
from lms.certificates.render import CertificateData, render_certificate
from lms.certificates.signing import KeyStore, qr_claims, sign_detached, verify_url
from lms.certificates.templates import CertificateTemplate, load_template
from lms.core import audit
from lms.core.errors import Conflict, NotFound, ValidationFailed
from lms.core.time import utcnow
from lms.enrollment.cohorts import local_today
from lms.enrollment.models import Application, Cohort, TraineeProfile
from lms.extensions import db

# Province part of a region code (GB/T 2260) -> the letters printed in certificate numbers.
PROVINCE_LETTERS = {
    "11": "BJ", "12": "TJ", "13": "HE", "14": "SX", "15": "NM", "21": "LN", "22": "JL", "23": "HL",
    "31": "SH", "32": "JS", "33": "ZJ", "34": "AH", "35": "FJ", "36": "JX", "37": "SD", "41": "HA",
    "42": "HB", "43": "HN", "44": "GD", "45": "GX", "46": "HI", "50": "CQ", "51": "SC", "52": "GZ",
    "53": "YN", "54": "XZ", "61": "SN", "62": "GS", "63": "QH", "64": "NX", "65": "XJ",
}


@lru_cache(maxsize=8)
def _template(name: str) -> CertificateTemplate:
    return load_template(name)


def active_template() -> CertificateTemplate:
    return _template(current_app.config["CERT_TEMPLATE"])


def storage_dir() -> Path:
    return Path(current_app.config.get("CERT_STORAGE_DIR") or Path(current_app.instance_path) / "certificates")


def stored_pdf_path(certificate: Certificate) -> Path:
    return storage_dir() / certificate.pdf_path


def number_region(region_code: str) -> str:
    letters = PROVINCE_LETTERS.get(region_code[:2])
    return letters or "".join(c for c in region_code.upper() if c.isalnum())[:9]


def allocate_serials(region: str, year: int, count: int = 1) -> int:
    """The first of `count` consecutive serials for region and year, taken with one
    conditional UPDATE ... RETURNING, so two issuers never get the same one (a rolled-back
    issue leaves a gap, never a duplicate)."""
    serials = CertificateSerial.__table__  # Core statement: the ORM's bulk-UPDATE handling costs more than the UPDATE
    for _attempt in range(3):
        last = db.session.execute(
            update(serials).where(serials.c.region == region, serials.c.year == year)
            .values(last=serials.c.last + count).returning(serials.c.last)).scalar()
        if last is not None:
            return last - count + 1
        try:
            with db.session.begin_nested():
                db.session.add(CertificateSerial(region=region, year=year, last=0))
        except IntegrityError:
            pass  # another issuer created the counter first
    raise RuntimeError(f"could not take a serial for {region}-{year}")


def valid_until_for(issued_on: date, years: int) -> date:
    try:
        end = issued_on.replace(year=issued_on.year + years)
    except ValueError:  # 29 February
        end = issued_on.replace(year=issued_on.year + years, day=28)
    return end - timedelta(days=1)


def current_certificate(application_id: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.application_id == application_id,
                                                       Certificate.status != CertificateStatus.SUPERSEDED))


def current_certificates(application_ids: list[int]) -> dict[int, Certificate]:
    """The current certificate of each of these enrollments that has one (by application id)."""
    return {c.application_id: c for c in db.session.scalars(select(Certificate).where(
        Certificate.application_id.in_(application_ids), Certificate.status != CertificateStatus.SUPERSEDED))}


def profiles_of(user_ids: list[int]) -> dict[int, TraineeProfile]:
    return {p.user_id: p for p in db.session.scalars(select(TraineeProfile).where(
        TraineeProfile.user_id.in_(user_ids)))}


_PRINTED = ("cert_no", "holder_name", "holder_gender", "holder_id_number", "program_title", "program_code",
            "institution_name", "institution_code", "issued_on", "valid_until", "token", "issued_at", "modules",
            "version")


def certificate_data(certificate: Certificate, photo: bytes | None = None) -> CertificateData:
    """What the PDF prints, from the certificate's snapshot."""
    return _printed({key: getattr(certificate, key) for key in _PRINTED}, photo)


def _printed(row: dict, photo: bytes | None) -> CertificateData:
    """What the PDF prints, from a certificate's column values."""
    return CertificateData(
        cert_no=row["cert_no"], holder_name=row["holder_name"], gender=row["holder_gender"],
        id_number=row["holder_id_number"], program_name=row["program_title"], program_code=row["program_code"],
        institution_name=row["institution_name"], institution_code=row["institution_code"],
        issue_date=row["issued_on"], valid_until=row["valid_until"],
        verify_url=verify_url(current_app.config["PUBLIC_BASE_URL"], row["cert_no"], row["token"] or ""),
        issued_at=row["issued_at"], modules=tuple((t, float(h)) for t, h in row["modules"]),
        photo=photo, version=row["version"])


@dataclass
class Draft:
    """A certificate's column values with its number and token, not yet rendered, stored or
    inserted; `certificate` is the row once complete_many() inserted it."""

    row: dict
    data: CertificateData
    application: Application
    certificate: Certificate | None = None


def _photo(profile: TraineeProfile) -> bytes | None:
    if not profile.photo_path:
        return None
    from lms.enrollment.uploads import stored_path

    try:
        return stored_path(profile.photo_path).read_bytes()
    except (NotFound, OSError):
        return None


def _snapshot(actor, application: Application, profile: TraineeProfile | None, day: date,
              template: CertificateTemplate, previous: Certificate | None = None, holder_name: str | None = None,
              course: dict | None = None, valid_until: date | None = None) -> tuple[dict, CertificateData]:
    """The certificate's columns as it would be issued today (no number or token yet) and its data."""
    if profile is None:
        raise ValidationFailed(_l("该学员没有个人资料，无法颁发合格证"), {"profile": _l("缺少个人资料")})
    row = {
        **(course or _course(application.cohort, day)),
        "application_id": application.id, "user_id": application.user_id,
        "holder_name": (holder_name or profile.name).strip(), "holder_gender": profile.gender,
        "holder_id_number": profile.id_number, "issued_on": day, "issued_at": utcnow(),
        "issued_by_id": getattr(actor, "id", None), "template": template.name,
        "version": previous.version + 1 if previous else 1, "status": "valid", "token": "",
        "supersedes_id": previous.id if previous else None, "revoked_reason": "", "reissue_reason": "",
        "cert_no": "XX-0000-000000-000000000-0",  # a placeholder, for the glyph check only
    }
    row["modules"] = [list(module) for module in row["modules"]]  # each row its own JSON value
    if previous is not None:
        row["valid_until"] = valid_until or previous.valid_until
        row["holder_enterprise_id"], row["holder_region_id"] = previous.holder_enterprise_id, previous.holder_region_id
    else:
        employer = profile.enterprise or application.enterprise
        row["holder_enterprise_id"] = employer.id if employer else None
        row["holder_region_id"] = employer.region_id if employer else None
    return row, _printed(row, _photo(profile))


def _course(cohort: Cohort, day: date) -> dict:
    """The columns every certificate of the cohort issued on `day` shares."""
    program, institution = cohort.program, cohort.institution
    return {"cohort_id": cohort.id, "program_id": program.id, "institution_id": institution.id,
            "program_code": program.code, "program_title": program.title, "institution_code": institution.code,
            "institution_name": institution.name, "hours": program.total_hours,
            "modules": [(m.title, float(m.hours)) for m in program.modules],
            "valid_until": valid_until_for(day, program.certificate_validity_years)}


def unmet_requirements(application: Application, day: date | None = None) -> dict[str, str]:
    """What stands between an enrollment and its certificate today ({} when nothing)."""
    return unmet_requirements_of([application], day)[application.id]


def unmet_requirements_of(applications: list[Application], day: date | None = None) -> dict[int, dict[str, str]]:
    """unmet_requirements() of each enrollment (by application id), one query per kind of fact."""
    _snapshots, refused = _check(None, applications, day or local_today(), active_template())
    return {a.id: dict(refused[a.id].fields) if a.id in refused else {} for a in applications}


def _check(actor, applications: list[Application], day: date, template: CertificateTemplate
           ) -> tuple[dict[int, tuple[dict, CertificateData]], dict[int, ValidationFailed]]:
    """The snapshot of each enrollment that meets every requirement, and the refusal of each
    other one (both by application id)."""
    profiles = profiles_of([a.user_id for a in applications])
    cohorts = {a.cohort_id: a.cohort for a in applications}
    courses = {cohort_id: _course(cohort, day) for cohort_id, cohort in cohorts.items()}
    refused: dict[int, ValidationFailed] = {}
    snapshots: dict[int, tuple[dict, CertificateData]] = {}
    for application in applications:
        try:
            snapshots[application.id] = _snapshot(actor, application, profiles.get(application.user_id), day, template,
                                                  course=courses[application.cohort_id])
        except ValidationFailed as error:
            refused[application.id] = error
    checked = [a for a in applications if a.id in snapshots]
    facts = requirements.facts_for(checked, day, {i: data for i, (_row, data) in snapshots.items()}, template)
    for application in checked:
        reasons = requirements.unmet(facts[application.id])
        if reasons:
            refused[application.id] = requirements.refusal(reasons)
            del snapshots[application.id]
    return snapshots, refused


def draft_many(actor, applications: list[Application], *, day: date | None = None,
               template: CertificateTemplate | None = None, private_key=None
               ) -> tuple[list[Draft], dict[int, ValidationFailed]]:
    """Drafts (numbered, signed) for the enrollments that meet every requirement, in order,
    and the refusal of each other one by application id. One query per kind of fact for all
    of them, one block of serials per number region."""
    day = day or local_today()
    snapshots, refused = _check(actor, applications, day, template or active_template())
    ready = [(a, *snapshots[a.id]) for a in applications if a.id in snapshots]
    return _seal(ready, day, private_key), refused


def draft(actor, application: Application, *, day: date | None = None, template: CertificateTemplate | None = None,
          private_key=None) -> Draft:
    """One draft, every requirement checked (draft_many() of one). Raises RequirementsUnmet
    listing everything missing."""
    drafts, refused = draft_many(actor, [application], day=day, template=template, private_key=private_key)
    if refused:
        raise refused[application.id]
    return drafts[0]


def _redraft(actor, application: Application, previous: Certificate, holder_name: str | None,
             valid_until: date | None = None) -> Draft:
    """The draft of a new version: only the glyphs are checked again (the rest was met at issue)."""
    day, template = local_today(), active_template()
    profile = profiles_of([application.user_id]).get(application.user_id)
    row, data = _snapshot(actor, application, profile, day, template, previous, holder_name, valid_until=valid_until)
    reason = requirements.glyph_problem(data, template)
    if reason:
        raise requirements.refusal({"glyphs": reason})
    return _seal([(application, row, data)], day)[0]


def _seal(items: list[tuple[Application, dict, CertificateData]], day: date, private_key=None) -> list[Draft]:
    """Number and sign checked snapshots: serials in the given order, one block per region."""
    key = private_key or KeyStore.for_app(current_app).signing_key()
    by_region: dict[str, list[int]] = {}
    for index, (application, _row, _data) in enumerate(items):
        by_region.setdefault(number_region(application.cohort.region.code), []).append(index)
    drafts: list[Draft | None] = [None] * len(items)
    base_url = current_app.config["PUBLIC_BASE_URL"]
    for region, indexes in by_region.items():
        first = allocate_serials(region, day.year, len(indexes))
        for serial, index in enumerate(indexes, start=first):
            application, row, data = items[index]
            row["cert_no"] = new_cert_no(region, day.year, serial)
            row["token"] = sign_detached(qr_claims(
                cert_no=row["cert_no"], holder_name=row["holder_name"], issue_date=day,
                valid_until=row["valid_until"]), key)
            drafts[index] = Draft(row, replace(
                data, cert_no=row["cert_no"], verify_url=verify_url(base_url, row["cert_no"], row["token"])),
                application)
    return drafts


def _write(path: Path, content: bytes) -> None:
    """Write through a temporary file and rename: a reader never sees half a PDF (sync_files makes it durable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "xb") as handle:
        handle.write(content)
    os.replace(temporary, path)


def sync_files(paths: list[Path]) -> None:
    """fsync written files, before the rows naming them are committed (all files of a batch
    chunk written first, then synced: ~0.2 ms a file instead of ~1 ms)."""
    for path in paths:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def complete(draft_: Draft, pdf: bytes) -> Certificate:
    """Store the PDF and insert the row. When another issuer made this enrollment's
    certificate meanwhile, that one is returned (the stored file of this draft is left
    unreferenced, never served)."""
    (result,) = complete_many([draft_], [pdf])
    if isinstance(result, Exception):
        raise result
    return result


def complete_many(drafts: list[Draft], pdfs: list[bytes]) -> list[Certificate | Exception]:
    """Store the PDFs (fsynced) and insert the rows: one INSERT for all, or, when that
    conflicts, one at a time. Per draft: its certificate (also set as `draft.certificate`);
    the certificate another issuer made for the enrollment meanwhile (as complete()); or the
    error that stopped this one (the others are inserted all the same)."""
    results: dict[int, Certificate | Exception] = {}
    stored, written = [], []
    directory = storage_dir()
    for index, (draft_, pdf) in enumerate(zip(drafts, pdfs, strict=True)):
        row = draft_.row
        row["pdf_path"] = f"{row['issued_on'].year}/{row['cert_no']}.pdf"
        row["pdf_sha256"] = hashlib.sha256(pdf).hexdigest()
        row["pdf_size"] = len(pdf)
        path = directory / row["pdf_path"]
        try:
            _write(path, pdf)
        except OSError as error:
            results[index] = error
            continue
        written.append(path)
        stored.append(index)
    sync_files(written)  # before the rows naming the files can be committed
    try:
        inserted = _insert([drafts[i] for i in stored])
    except IntegrityError:  # the savepoint is rolled back: each row on its own
        for index in stored:
            results[index] = _insert_or_existing(drafts[index])
    else:
        results.update(zip(stored, inserted, strict=True))
    return [results[index] for index in range(len(drafts))]


# ORM bulk INSERT ... RETURNING: one statement for a chunk, persistent objects back, in order
_INSERT = insert(Certificate).returning(Certificate, sort_by_parameter_order=True)


def _insert(drafts: list[Draft]) -> list[Certificate]:
    if not drafts:
        return []
    with db.session.begin_nested():
        certificates = db.session.scalars(_INSERT, [d.row for d in drafts]).all()
    for draft_, certificate in zip(drafts, certificates, strict=True):
        draft_.certificate = certificate
    return certificates


def _insert_or_existing(draft_: Draft) -> Certificate | Exception:
    try:
        return _insert([draft_])[0]
    except IntegrityError as error:
        existing = current_certificate(draft_.application.id)
        return error if existing is None else existing


def _require_manager(actor, application: Application) -> None:
    if actor is not None:  # None: the system itself (demo data, a renewal job)
        access.require_issue(actor, application.cohort)


def issue(actor, application: Application, day: date | None = None) -> Certificate:
    """The enrollment's certificate: issued now if every requirement is met, or the one
    issued before (issuing twice gives the same certificate)."""
    _require_manager(actor, application)
    existing = current_certificate(application.id)
    if existing is not None:
        if existing.status == CertificateStatus.REVOKED:
            raise Conflict(_l("该学员的合格证 %(no)s 已被撤销，不能再次颁发", no=existing.cert_no))
        return existing
    new = draft(actor, application, day=day)
    certificate = complete(new, render_certificate(active_template(), new.data))
    if certificate is new.certificate:
        audit.record(actor, "certificate.issue", certificate, cert_no=certificate.cert_no)
    return certificate


def reissue(actor, certificate: Certificate, reason: str, holder_name: str | None = None,
            valid_until: date | None = None) -> Certificate:
    """A new version (new number) from the current profile, or with a corrected name; the
    old version becomes superseded and keeps answering the public check as such. With
    `valid_until` (a renewal) the new version is valid until then instead of the old date."""
    application = db.session.get(Application, certificate.application_id)
    _require_manager(actor, application)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_l("请填写补发（换发）原因"), {"reason": _l("请填写原因，例如：姓名更正")})
    if certificate.status != CertificateStatus.VALID:
        raise Conflict(_l("只有有效的证书可以换发新版本"))
    new = _redraft(actor, application, certificate, holder_name or None, valid_until)
    new.row["reissue_reason"] = reason
    pdf = render_certificate(active_template(), new.data)
    certificate.status, certificate.superseded_at = CertificateStatus.SUPERSEDED, utcnow()
    db.session.flush()  # the old version stops being current before the new one is inserted
    created = complete(new, pdf)
    audit.record(actor, "certificate.reissue", created, cert_no=created.cert_no,
                 supersedes=certificate.cert_no, reason=reason)
    return created


def render_in_worker(template_name: str, data: CertificateData) -> bytes:
    """Render in a pool process (batch issuance): the template is loaded once per process."""
    return render_certificate(_template(template_name), data)


def render_each(template_name: str, data: list[CertificateData]) -> list[bytes | str]:
    """Render several certificates in one pool task. One that cannot be rendered gives its
    error as text ("Type: message", which always crosses processes, unlike some exceptions)
    and the others are rendered all the same."""
    rendered: list[bytes | str] = []
    for one in data:
        try:
            rendered.append(render_in_worker(template_name, one))
        except Exception as error:  # noqa: BLE001 - reported for this certificate only
            rendered.append(f"{type(error).__name__}: {error}")
    return rendered

