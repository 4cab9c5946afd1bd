"""Issuing: every requirement checked and every unmet one listed; one certificate per
enrollment; the PDF stored once with its SHA-256; reissue and revocation keep history."""
import hashlib
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.certificates import issuing, services
from lms.certificates.models import Certificate
from lms.certificates.numbers import cert_no_problem
from lms.certificates.requirements import RequirementsUnmet
from lms.core.audit import AuditEvent
from lms.core.errors import Conflict, Forbidden, ValidationFailed
from lms.enrollment.cohorts import local_today
from lms.extensions import db


def test_a_graduate_gets_a_stored_certificate_with_its_hash(make_graduate, exam_passed, cohort_staff):
    application = make_graduate(name="张三明")
    staff = cohort_staff(application.cohort)
    certificate = services.issue(staff, application)
    db.session.commit()

    assert cert_no_problem(certificate.cert_no) is None
    assert certificate.cert_no.startswith(f"SH-{certificate.issued_on.year}-000001-")
    assert certificate.status == "valid" and certificate.version == 1
    assert certificate.holder_name == "张三明"
    assert certificate.hours == application.cohort.program.total_hours
    program = application.cohort.program
    assert certificate.valid_until == certificate.issued_on.replace(
        year=certificate.issued_on.year + program.certificate_validity_years) - timedelta(days=1)
    stored = issuing.stored_pdf_path(certificate).read_bytes()
    assert stored.startswith(b"%PDF") and len(stored) <= 150 * 1024
    assert hashlib.sha256(stored).hexdigest() == certificate.pdf_sha256
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.issue")).actor_id == staff.id


def test_issuing_twice_gives_the_same_certificate(make_graduate, exam_passed, cohort_staff):
    application = make_graduate()
    staff = cohort_staff(application.cohort)
    first = services.issue(staff, application)
    db.session.commit()
    again = services.issue(staff, application)
    db.session.commit()
    assert again.id == first.id
    assert db.session.scalar(select(db.func.count()).select_from(Certificate)) == 1


def test_the_database_refuses_a_second_current_certificate_for_one_enrollment(make_graduate, exam_passed,
                                                                               cohort_staff):
    # What two concurrent issuers would do: both drafted before either inserted.
    application = make_graduate()
    staff = cohort_staff(application.cohort)
    first, second = issuing.draft(staff, application), issuing.draft(staff, application)
    kept = issuing.complete(first, b"%PDF-first")
    db.session.commit()
    assert issuing.complete(second, b"%PDF-second").id == kept.id
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(Certificate)) == 1


def test_the_refusal_lists_every_unmet_requirement(make_graduate, make_cohort, make_program, make_institution,
                                                   exam_passed, cohort_staff):
    program = make_program()
    program.assignment_required = True
    lapsed = make_institution(accredited_from=date(2020, 1, 1), accredited_until=date(2021, 12, 31))
    application = make_graduate(make_cohort(program=program, institution=lapsed), attended=False)
    exam_passed.add(application.id)
    with pytest.raises(RequirementsUnmet) as error:
        services.issue(cohort_staff(application.cohort), application)
    reasons = error.value.fields
    assert set(reasons) == {"attendance", "exam", "assignment", "accreditation"}
    assert "已完成 0 / 16 学时" in reasons["attendance"]
    assert "结业考试" in reasons["exam"]
    assert "2021-12-31" in reasons["accreditation"]
    assert error.value.status == 422
    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(Certificate)) == 0


def test_without_a_passed_exam_the_exam_requirement_is_unmet(make_graduate, cohort_staff):
    application = make_graduate()  # full attendance, but no exam attempt at all
    with pytest.raises(RequirementsUnmet) as error:
        services.issue(cohort_staff(application.cohort), application)
    assert list(error.value.fields) == ["exam"]
    assert error.value.fields["exam"] == "尚未通过本班次的结业考试"


def test_a_name_the_font_lacks_is_refused_at_issue_never_printed_as_a_box(make_graduate, exam_passed,
                                                                          cohort_staff):
    application = make_graduate(name="张𠮷")
    with pytest.raises(RequirementsUnmet) as error:
        services.issue(cohort_staff(application.cohort), application)
    assert list(error.value.fields) == ["glyphs"]
    assert "「𠮷」(U+20BB7)" in error.value.fields["glyphs"] and "持证人姓名" in error.value.fields["glyphs"]
    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(Certificate)) == 0


def test_only_the_cohorts_institution_issues(make_graduate, exam_passed, make_user, make_institution):
    application = make_graduate()
    other = make_user("institution", scope=make_institution())
    with pytest.raises(Forbidden):
        services.issue(other, application)


def test_numbers_are_sequential_within_region_and_year(make_graduate, make_cohort, make_region, exam_passed,
                                                       cohort_staff):
    cohort = make_cohort(region=make_region("210102", "和平区"))
    applications = [make_graduate(cohort) for _ in range(3)]
    staff = cohort_staff(cohort)
    numbers = [services.issue(staff, a).cert_no for a in applications]
    db.session.commit()
    assert [n.split("-")[:3] for n in numbers] == [["LN", str(local_today().year), f"00000{i}"] for i in (1, 2, 3)]
    assert len({n.split("-")[3] for n in numbers}) == 3  # the random parts differ


def test_reissue_makes_a_new_version_and_supersedes_the_old(make_graduate, exam_passed, cohort_staff):
    application = make_graduate(name="张三明")
    staff = cohort_staff(application.cohort)
    old = services.issue(staff, application)
    db.session.commit()
    with pytest.raises(ValidationFailed):
        services.reissue(staff, old, "")
    new = services.reissue(staff, old, "姓名更正", holder_name="张山明")
    db.session.commit()
    assert (old.status, new.status, new.version, new.supersedes_id) == ("superseded", "valid", 2, old.id)
    assert new.holder_name == "张山明" and new.cert_no != old.cert_no
    assert new.valid_until == old.valid_until
    assert issuing.stored_pdf_path(old).is_file()  # nothing deleted
    assert services.issue(staff, application).id == new.id
    with pytest.raises(Conflict):
        services.reissue(staff, old, "再次换发")


def test_revocation_needs_a_reason_and_is_audited(make_graduate, exam_passed, cohort_staff):
    application = make_graduate()
    staff = cohort_staff(application.cohort)
    certificate = services.issue(staff, application)
    db.session.commit()
    with pytest.raises(ValidationFailed) as error:
        services.revoke(staff, certificate, "  ")
    assert "reason" in error.value.fields
    services.revoke(staff, certificate, "考试作弊，成绩无效")
    db.session.commit()
    assert certificate.status == "revoked" and certificate.revoked_by_id == staff.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.revoke"))
    assert event.details["reason"] == "考试作弊，成绩无效"
    with pytest.raises(Conflict):
        services.revoke(staff, certificate, "again")
    with pytest.raises(Conflict):
        services.issue(staff, application)  # not silently issued anew
    assert db.session.get(Certificate, certificate.id) is not None


def test_expired_follows_from_valid_until(make_graduate, exam_passed, cohort_staff):
    application = make_graduate()
    certificate = services.issue(cohort_staff(application.cohort), application)
    assert certificate.status_on(certificate.valid_until) == "valid"
    assert certificate.status_on(certificate.valid_until + timedelta(days=1)) == "expired"


def test_blocks_of_serials_taken_at_once_never_overlap(app):
    """Batch chunks take a block of serials with one UPDATE; issuers racing on a counter that
    does not exist yet, with real threads and connections, never share a serial."""
    import random
    import threading

    sizes = [[random.Random(t * 10 + r).randint(1, 25) for r in range(4)] for t in range(6)]
    barrier = threading.Barrier(len(sizes))
    taken: list[range] = []
    errors: list[BaseException] = []

    def issuer(block_sizes):
        try:
            with app.app_context():
                barrier.wait()
                for size in block_sizes:
                    first = issuing.allocate_serials("ZZ", 2031, size)
                    db.session.commit()
                    taken.append(range(first, first + size))
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=issuer, args=(s,)) for s in sizes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    serials = sorted(s for block in taken for s in block)
    assert serials == list(range(1, sum(map(sum, sizes)) + 1))  # each once, and no gap as all committed
