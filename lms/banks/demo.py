"""Demo data for banks: the shipped sample banks from question_banks/ (idempotent)."""
from __future__ import annotations

from pathlib import Path

from lms.banks.imports import import_files

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "question_banks"


def sample_bank_files() -> list[Path]:
    return sorted(SAMPLE_DIR.glob("*.yaml"))


def seed_banks() -> None:
    """Load every shipped bank (shared); unchanged questions stay as they are."""
    report = import_files(None, [(path.name, path.read_bytes()) for path in sample_bank_files()])
    if not report.ok:
        errors = [e for f in report.files for e in f.errors]
        raise RuntimeError("shipped question banks have errors: " + "; ".join(errors[:5]))
