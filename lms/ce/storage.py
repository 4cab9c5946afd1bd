"""Files of continuing education (lesson videos and PDFs, transcripts) under CE_STORAGE_DIR,
default instance/ce: storage every host shares, like CERT_STORAGE_DIR."""
from __future__ import annotations

import os
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from lms.core.errors import NotFound


def root() -> Path:
    return Path(current_app.config.get("CE_STORAGE_DIR") or Path(current_app.instance_path) / "ce")


def path(relative: str) -> Path:
    """The stored file's path; NotFound unless it lies inside the storage and exists."""
    base = root().resolve()
    found = (base / relative).resolve()
    if base not in found.parents or not found.is_file():
        raise NotFound(_l("文件不存在"))
    return found


def write(relative: str, content: bytes) -> Path:
    """Write through a temporary file and rename (a reader never sees half a file), fsynced."""
    target = root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    return target
