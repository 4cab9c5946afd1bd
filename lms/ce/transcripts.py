"""The 学时证明 (CE hours transcript) of a person and a year: a PDF with a QR code that opens its
public check, signed with the certificates' Ed25519 key (lms.certificates.signing), stored
once with its SHA-256 like a certificate.

Asking again while the ledger of that year is unchanged gives the same stored transcript; once
it changed, a new transcript (new number) is issued and the previous one is superseded.

The public check gives one verdict, the worst of what it knows (DESIGN §9): the record's status
(`valid`, `superseded`), or `suspect` when the record is valid but the QR token (or an uploaded
PDF) does not match it; the token is `valid`, `invalid` or `absent`.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from lms.ce import ledger, storage
from lms.ce.enums import TranscriptStatus
from lms.ce.models import CeTranscript
from lms.ce.render import TranscriptData, render_transcript
from lms.certificates.numbers import CROCKFORD, check_character, normalize_cert_no
from lms.certificates.signing import KeyStore, sign_claims
from lms.core import audit
from lms.core.errors import Conflict, NotFound
from lms.core.masking import mask_id_number, mask_name
from lms.core.time import utcnow
from lms.enrollment.cohorts import local_today
from lms.enrollment.profiles import profile_of
from lms.extensions import db


def new_number(year: int) -> str:
    """CE-2026-K7Q4M9XR2-C: the year, 9 random Crockford characters, a check character."""
    while True:
        head = f"CE-{year}-" + "".join(secrets.choice(CROCKFORD) for _ in range(9))
        check = check_character(head)
        if check not in "ILOU*":
            return f"{head}-{check}"


def check_url(number: str, token: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/ce/transcripts/{number}?t={token}"


def _digest(standing: ledger.Standing, name: str) -> str:
    credits = [(c.id, c.hours, c.category.value, c.source.value, c.source_id, c.earned_on.isoformat())
               for c in standing.credits]
    text = json.dumps([name, standing.required_hours, credits], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def current_transcript(user_id: int, year: int) -> CeTranscript | None:
    return db.session.scalar(select(CeTranscript).where(
        CeTranscript.user_id == user_id, CeTranscript.year == year, CeTranscript.status == TranscriptStatus.VALID)
        .order_by(CeTranscript.id.desc()))


def transcript_for(person, year: int) -> CeTranscript:
    """The person's transcript of `year`: the stored one while the ledger is unchanged, else a new one."""
    if year > local_today().year:
        raise Conflict(_l("该年度尚未开始"))
    profile = profile_of(person)
    name = profile.name if profile else person.name
    standing = ledger.standing(person.id, year)
    digest = _digest(standing, name)
    existing = current_transcript(person.id, year)
    if existing is not None and existing.credits_digest == digest:
        return existing
    today = local_today()
    number = new_number(year)
    claims = {"typ": "ce", "no": number, "y": year, "n": mask_name(name), "r": standing.required_hours,
              "h": standing.earned_hours, "c": standing.complete, "d": today.isoformat()}
    token = sign_claims(claims, KeyStore.for_app(current_app).signing_key())
    with force_locale("zh_CN"):  # the document is printed in Chinese, whoever asks for it
        rows = tuple((c.earned_on, str(c.source.label), c.title, str(c.category.label), c.hours)
                     for c in standing.credits)
    data = TranscriptData(
        number=number, year=year, holder_name=name,
        id_number=mask_id_number(profile.id_number) if profile else "", required_hours=standing.required_hours,
        earned_hours=standing.earned_hours, by_category=standing.by_category, complete=standing.complete,
        credits=rows,
        issued_on=today, check_url=check_url(number, token))
    pdf = render_transcript(data)
    relative = f"transcripts/{year}/{number}.pdf"
    storage.write(relative, pdf)
    if existing is not None:
        db.session.execute(update(CeTranscript).where(CeTranscript.id == existing.id)
                           .values(status=TranscriptStatus.SUPERSEDED, superseded_at=utcnow())
                           .execution_options(synchronize_session=False))
    transcript = CeTranscript(
        number=number, user_id=person.id, year=year, holder_name=name,
        holder_id_number=profile.id_number if profile else "", required_hours=standing.required_hours,
        earned_hours=standing.earned_hours, by_category=dict(standing.by_category), complete=standing.complete,
        credits_digest=digest, issued_on=today, token=token, pdf_path=relative,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(), status=TranscriptStatus.VALID)
    db.session.add(transcript)
    db.session.flush()
    audit.record(person, "ce.transcript", transcript, number=number, year=year)
    return transcript


def stored_pdf(transcript: CeTranscript) -> bytes:
    """The file as issued, checked against its SHA-256 (never regenerated behind the holder's back)."""
    try:
        content = storage.path(transcript.pdf_path).read_bytes()
    except (OSError, NotFound):
        raise NotFound(_l("学时证明文件缺失")) from None
    if hashlib.sha256(content).hexdigest() != transcript.pdf_sha256:
        raise Conflict(_l("学时证明文件校验失败"))
    return content


# ---- the public check ------------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    transcript: CeTranscript
    token: str  # valid | invalid | absent
    pdf: str | None = None  # genuine | altered | None (no file uploaded)

    @property
    def verdict(self) -> str:
        status = self.transcript.status.value
        if status != TranscriptStatus.VALID.value:
            return status
        return "suspect" if self.token == "invalid" or self.pdf == "altered" else "valid"  # noqa: S105 - not a secret


def lookup(number: str) -> CeTranscript | None:
    text = normalize_cert_no(number)
    if not text or len(text) > 40:
        return None
    return db.session.scalar(select(CeTranscript).where(CeTranscript.number == text))


def check(number: str, token: str | None, pdf: bytes | None = None) -> Check | None:
    transcript = lookup(number)
    if transcript is None:
        return None
    token_state = "absent" if token is None else ("valid" if token.strip() == transcript.token else "invalid")
    pdf_state = None if pdf is None else (
        "genuine" if hashlib.sha256(pdf).hexdigest() == transcript.pdf_sha256 else "altered")
    return Check(transcript, token_state, pdf_state)


def public_json(found: Check) -> dict:
    t = found.transcript
    return {"number": t.number, "year": t.year, "status": t.status.value, "verdict": found.verdict,
            "token": found.token, "pdf": found.pdf, "holder_name": mask_name(t.holder_name),
            "id_number": mask_id_number(t.holder_id_number) if t.holder_id_number else "",
            "required_hours": t.required_hours, "earned_hours": t.earned_hours,
            "by_category": dict(t.by_category or {}), "complete": t.complete, "issued_on": t.issued_on.isoformat(),
            "superseded_on": t.superseded_at.date().isoformat() if t.superseded_at else None}


def file_name(transcript: CeTranscript) -> str:
    return f"{transcript.number}.pdf"

