"""Only a passed formal exam counts towards the certificate; a practice quiz never does."""
import pytest

from lms.core.errors import ValidationFailed
from lms.exams import services
from lms.extensions import db
from tests.exams.conftest import right


def _pass(setup_, headers, client):
    attempt = client.post(f"/api/v1/exams/{setup_.exam.id}/attempts", headers=headers).get_json()
    for seq, question in enumerate(attempt["questions"], start=1):
        answer = right(question)
        client.put(f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}", headers=headers,
                   json={"response": answer, "seq": seq})
    return client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).get_json()


@pytest.mark.parametrize("purpose, counts", [("formal", True), ("practice", False)])
def test_a_passed_practice_quiz_does_not_meet_the_exam_requirement(setup, api_token, client, purpose, counts):
    from tests.exams.conftest import OBJECTIVE_BLUEPRINT

    s = setup(OBJECTIVE_BLUEPRINT, purpose=purpose)
    result = _pass(s, api_token(s.trainee), client)
    assert result["passed"] is True
    db.session.expire_all()
    assert services.passed_exam(s.application) is counts
    # the many-trainee form a batch of certificates uses answers the same
    assert services.passed_users(s.cohort.id, [s.trainee.id, s.staff.id]) == ({s.trainee.id} if counts else set())


def test_an_unknown_purpose_is_refused_naming_the_field(setup, exam_settings):
    s = setup()
    with pytest.raises(ValidationFailed) as error:
        services.save_exam(s.staff, s.cohort, exam_settings(purpose="mock"), s.exam)
    assert "purpose" in error.value.fields
