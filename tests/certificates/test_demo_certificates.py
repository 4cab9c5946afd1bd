"""seed-demo issues the graduate's certificate (the graduate passed the finished cohort's exam), once."""
from sqlalchemy import select

from lms.accounts.models import User
from lms.certificates.models import Certificate
from lms.extensions import db


def _certificates_of(username):
    user = db.session.scalar(select(User).where(User.username == username))
    return db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)).all()


def test_the_graduate_gets_one_certificate_and_the_trainee_none(runner):
    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    (certificate,) = _certificates_of("graduate")
    assert certificate.status == "valid" and certificate.holder_name == "李静怡"
    assert certificate.cert_no.startswith("SH-")
    assert _certificates_of("trainee") == []  # still studying: attendance not complete, no exam passed
