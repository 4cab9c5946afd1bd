"""Demo data for banks: the shipped sample banks from question_banks/ (shared), and a small
practice bank of the demo institution so its staff have a bank of their own to edit."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from lms.banks import services
from lms.banks.imports import import_files
from lms.banks.models import BankCategory, Question, QuestionBank
from lms.extensions import db

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "question_banks"
PRACTICE = {"code": "sh-stc-practice", "title": "机构练习题（上海标准化人才培训中心）", "institution": "SH-STC",
            "copy_from": "std-law", "count": 12}


def sample_bank_files() -> list[Path]:
    return sorted(SAMPLE_DIR.glob("*.yaml"))


def seed_banks() -> None:
    """Load every shipped bank (shared); unchanged questions stay as they are."""
    report = import_files(None, [(path.name, path.read_bytes()) for path in sample_bank_files()])
    if not report.ok:
        errors = [e for f in report.files for e in f.errors]
        raise RuntimeError("shipped question banks have errors: " + "; ".join(errors[:5]))


def seed_practice_bank() -> None:
    """The demo institution's own bank: copies of the first questions of a shipped bank."""
    from lms.orgs.models import Institution

    institution = db.session.scalar(select(Institution).where(Institution.code == PRACTICE["institution"]))
    source = services.bank_by_code(PRACTICE["copy_from"])
    if institution is None or source is None or services.bank_by_code(PRACTICE["code"]) is not None:
        return
    bank = QuestionBank(code=PRACTICE["code"], title=PRACTICE["title"], version=1,
                        owner_institution_id=institution.id)
    bank.categories.append(BankCategory(code="PRACTICE", title="课堂练习", position=0))
    db.session.add(bank)
    originals = db.session.scalars(select(Question).where(Question.bank_id == source.id)
                                   .order_by(Question.external_id).limit(PRACTICE["count"]))
    for number, original in enumerate(originals, 1):
        question = Question(bank=bank, external_id=f"SH-{number:04d}", category=bank.categories[0])
        db.session.add(question)
        services.apply_content(question, services.content_of(original.current), None)
    db.session.flush()
