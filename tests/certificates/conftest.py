import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


@pytest.fixture
def key_settings(tmp_path):
    """Settings naming a fresh Ed25519 key file (as an operator would configure one)."""
    path = tmp_path / "k" / "signing.pem"
    path.parent.mkdir()
    path.write_bytes(Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    path.chmod(0o600)
    return {"CERT_SIGNING_KEY_FILE": str(path), "CERT_PUBLIC_KEYS_DIR": str(tmp_path / "k" / "public")}


# ---- enrollments ready for a certificate ---------------------------------------------------

from tests.enrollment.conftest import (  # noqa: E402,F401 - fixtures shared with the enrollment tests
    make_application, make_cohort, make_program, make_session, make_trainee)


@pytest.fixture
def exam_passed(monkeypatch):
    """Stands in for the exam results (lms.exams.services.passed_users), so certificate tests
    need no exam sitting: everyone passed, except the application ids put in the returned set."""
    from lms.certificates import requirements

    failed: set[int] = set()
    monkeypatch.setattr(requirements, "exams_passed", lambda applications: {a.id for a in applications} - failed)
    return failed


@pytest.fixture
def cohort_staff(make_user):
    def make(cohort):
        return make_user("institution", scope=cohort.institution, name="机构教务")

    return make


@pytest.fixture
def make_graduate(make_cohort, make_trainee, make_session, make_region):
    """An approved enrollment with every session attended (a cohort is made when not given)."""
    from lms.enrollment.models import Application, Attendance
    from lms.extensions import db

    def make(cohort=None, attended: bool = True, **profile):
        cohort = cohort or make_cohort(region=make_region("310105", "长宁区"))  # numbers start SH-
        if not cohort.sessions:
            for module in cohort.program.modules:
                make_session(cohort, module=module, hours=module.hours)
        trainee = make_trainee(**profile)
        application = Application(cohort_id=cohort.id, user_id=trainee.id, status="approved")
        db.session.add(application)
        db.session.flush()
        for session in cohort.sessions:
            db.session.add(Attendance(session_id=session.id, application_id=application.id,
                                      status="present" if attended else "absent", method="staff"))
        cohort.seats_taken += 1
        db.session.commit()
        return application

    return make
