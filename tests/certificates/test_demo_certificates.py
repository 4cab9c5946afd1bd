"""seed-demo issues graduate's certificate once the exam requirement can be met, and only once."""
from sqlalchemy import select

from lms.accounts.models import User
from lms.certificates.models import Certificate
from lms.extensions import db


def _certificates_of(username):
    user = db.session.scalar(select(User).where(User.username == username))
    return db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)).all()


def test_without_the_exams_package_no_certificate_is_seeded(runner):
    result = runner.invoke(args=["lms", "seed-demo"])
    assert result.exit_code == 0, result.output
    assert _certificates_of("graduate") == []


def test_with_a_passed_exam_the_graduate_gets_one_certificate(runner, exam_passed):
    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    (certificate,) = _certificates_of("graduate")
    assert certificate.status == "valid" and certificate.holder_name == "李静怡"
    assert certificate.cert_no.startswith("SH-")
    assert _certificates_of("trainee") == []  # still studying: attendance not complete
