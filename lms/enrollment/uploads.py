"""Uploaded files: type sniffed from content (never the name), stored under
instance/uploads/..., never served statically. Photos are re-encoded (EXIF stripped).

A photo is decoded only after its size in pixels is known to be sane, and any part of it that
would inflate past Pillow's limits (a pixel bomb, a compressed text or colour-profile chunk of
tens of megabytes) is refused as a bad photo, never a server error."""
from __future__ import annotations

import io
import os
import secrets
import warnings
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select

from lms.core import audit
from lms.core.errors import Forbidden, NotFound, ValidationFailed
from lms.core.permissions import one_or_404
from lms.enrollment.applications import get_application, is_reviewer, visible_applications
from lms.enrollment.enums import ApplicationStatus
from lms.enrollment.models import Application, ApplicationDocument, TraineeProfile
from lms.extensions import db

DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
DOCUMENTS_PER_APPLICATION = 10
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_SIDE = 800
PHOTO_MAX_PIXELS = 25_000_000  # a 6000 × 4000 camera picture; decoding it takes ~75 MB
MAGIC = [(b"%PDF-", "application/pdf", "pdf"), (b"\xff\xd8\xff", "image/jpeg", "jpg"),
         (b"\x89PNG\r\n\x1a\n", "image/png", "png")]
CLOSED = (ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED, ApplicationStatus.DECLINED)


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) judged by the file's first bytes, or None if not PDF/JPEG/PNG."""
    for magic, content_type, ext in MAGIC:
        if data.startswith(magic):
            return content_type, ext
    return None


def upload_root() -> Path:
    return Path(current_app.instance_path) / "uploads"


def check_document(data: bytes, field: str, max_bytes: int = DOCUMENT_MAX_BYTES) -> tuple[str, str]:
    """(content type, extension) of an uploaded PDF, JPEG or PNG judged by its content, or a
    422 naming `field`: empty, larger than `max_bytes`, or of another type (application
    documents, and other domains' uploads such as continuing-education proofs)."""
    if not data:
        raise ValidationFailed(_l("请选择文件"), {field: _l("请选择要上传的文件")})
    if len(data) > max_bytes:
        raise ValidationFailed(_l("文件过大"), {field: _l("文件大小 %(size)s MB，超过 %(limit)s MB 上限",
                                                        size=f"{len(data) / 1048576:.1f}",
                                                        limit=f"{max_bytes / 1048576:g}")})
    kind = sniff(data)
    if kind is None:
        raise ValidationFailed(_l("文件类型不支持"),
                               {field: _l("只接受 PDF、JPEG 或 PNG 文件（按文件内容判断，不看扩展名）")})
    return kind


def store(folder: str, ext: str, data: bytes) -> str:
    """Write under uploads/<folder>/ with a random name; returns the path relative to uploads/."""
    relative = f"{folder}/{secrets.token_hex(16)}.{ext}"
    target = upload_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return relative


def stored_path(relative: str) -> Path:
    path = (upload_root() / relative).resolve()
    if upload_root().resolve() not in path.parents or not path.is_file():
        raise NotFound(_l("文件不存在"))
    return path


def document_for(actor, application_id: int, document_id: int) -> ApplicationDocument:
    """A document of an application, for its trainee and the staff reviewing it; anyone else: not found."""
    application = get_application(actor, application_id)
    if application.user_id != actor.id and not is_reviewer(actor, application):
        raise NotFound(_l("文件不存在"))
    return one_or_404(select(ApplicationDocument).where(ApplicationDocument.id == document_id,
                                                        ApplicationDocument.application_id == application.id))


def photo_for(actor, user_id: int) -> Path:
    """The stored photo of `user_id`: the actor's own, or a trainee's whose application the actor
    reviews; anyone else (and a profile without a photo): not found."""
    profile = db.session.scalar(select(TraineeProfile).where(TraineeProfile.user_id == user_id))
    if profile is None or not profile.photo_path:
        raise NotFound(_l("文件不存在"))
    if user_id != actor.id and not any(is_reviewer(actor, application) for application in db.session.scalars(
            visible_applications(actor).where(Application.user_id == user_id))):
        raise NotFound(_l("文件不存在"))
    return stored_path(profile.photo_path)


def add_document(actor, application: Application, filename: str, data: bytes) -> ApplicationDocument:
    """A supporting document for the trainee's own application: PDF, JPEG or PNG, at most 5 MB,
    at most DOCUMENTS_PER_APPLICATION of them."""
    if application.user_id != actor.id:
        raise Forbidden(_l("只能为本人的报名上传材料"))
    if application.status in CLOSED:
        raise ValidationFailed(_l("该报名已结束，不能再上传材料"), {"file": _l("该报名已结束")})
    # PostgreSQL: lock the application so that two uploads at once cannot both pass the count
    db.session.execute(select(Application.id).where(Application.id == application.id).with_for_update())
    held = db.session.scalar(select(func.count()).select_from(ApplicationDocument)
                             .where(ApplicationDocument.application_id == application.id)) or 0
    if held >= DOCUMENTS_PER_APPLICATION:
        raise ValidationFailed(_l("材料数量已达上限"), {"file": _l(
            "每份报名最多上传 %(n)s 个材料", n=DOCUMENTS_PER_APPLICATION)})
    content_type, ext = check_document(data, "file")
    name = os.path.basename((filename or "").replace("\\", "/")).strip()[:200] or f"document.{ext}"
    document = ApplicationDocument(application=application, filename=name, content_type=content_type,
                                   size=len(data), path=store(f"documents/{application.id}", ext, data),
                                   uploaded_by_id=actor.id)
    db.session.add(document)
    audit.record(actor, "application.document_add", document, application=application.id)
    return document


def _bad_photo(problem) -> ValidationFailed:
    return ValidationFailed(_l("照片无法使用"), {"photo": problem})


def process_photo(data: bytes) -> bytes:
    """Re-encode a JPEG/PNG photo as JPEG, at most PHOTO_MAX_SIDE px; no EXIF or other metadata."""
    if not data:
        raise _bad_photo(_l("请选择照片文件"))
    if len(data) > PHOTO_MAX_BYTES:
        raise _bad_photo(_l("照片不能超过 5 MB"))
    kind = sniff(data)
    if kind is None or kind[0] == "application/pdf":
        raise _bad_photo(_l("照片应为 JPEG 或 PNG 图片"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > PHOTO_MAX_PIXELS:  # refuse before decoding a pixel bomb
                    raise _bad_photo(_l("照片像素过多，请缩小后再上传"))
                image.draft("RGB", (PHOTO_MAX_SIDE * 2, PHOTO_MAX_SIDE * 2))  # JPEG: decode at a reduced scale
                image.load()
                image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant
                image = image.convert("RGB")
                image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
                out = io.BytesIO()
                image.save(out, "JPEG", quality=88)  # a new file: no EXIF, GPS or comments carried over
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bad_photo(_l("照片像素过多，请缩小后再上传")) from None
    except ValueError:  # e.g. a text or colour-profile chunk that inflates past Pillow's limit
        raise _bad_photo(_l("照片中含有过大的数据，请重新导出后上传")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, EOFError):
        raise _bad_photo(_l("照片文件已损坏或无法识别")) from None
    return out.getvalue()


def save_photo(actor, profile: TraineeProfile, data: bytes) -> TraineeProfile:
    if profile.user_id != actor.id:
        raise Forbidden(_l("只能上传本人的照片"))
    jpeg = process_photo(data)
    old = profile.photo_path
    profile.photo_path = store(f"photos/{profile.user_id}", "jpg", jpeg)
    if old:
        try:
            stored_path(old).unlink()
        except (NotFound, OSError):
            pass
    audit.record(actor, "profile.photo", profile)
    return profile
