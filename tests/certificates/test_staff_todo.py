"""The institution's home page leads with the cohorts whose trainees can be issued certificates."""
from __future__ import annotations

import re

from lms.certificates import services
from lms.extensions import db


def _todo(client) -> str:
    html = client.get("/home/institution").get_data(as_text=True)
    return re.search(r'<li class="todo[^"]*" data-todo="certificates">.*?</li>', html, re.S).group(0)


def test_cohorts_ready_for_certificates_are_counted_and_linked(client, login, make_graduate, exam_passed,
                                                                cohort_staff):
    first = make_graduate()
    staff = cohort_staff(first.cohort)
    second = make_graduate(first.cohort)
    failing = make_graduate(first.cohort)
    exam_passed.add(failing.id)
    login(staff)
    item = _todo(client)
    assert f'href="/staff/cohorts/{first.cohort.code}/certificates"' in item
    assert '<span class="todo-count">1</span>' in item and "个班次有学员可颁发合格证" in item
    for application in (first, second):
        services.issue(staff, application)
    db.session.commit()
    item = _todo(client)
    assert "todo-count" not in item and "暂无可颁发合格证的学员" in item  # the one left does not qualify


def test_issuing_is_disabled_with_the_reason_for_a_trainee_who_does_not_qualify(client, login, make_graduate,
                                                                                 exam_passed, cohort_staff):
    ready = make_graduate()
    failing = make_graduate(ready.cohort)
    exam_passed.add(failing.id)
    login(cohort_staff(ready.cohort))
    page = client.get(f"/staff/cohorts/{ready.cohort.code}/certificates").get_data(as_text=True)
    assert f'/certificates/{ready.id}"' in page  # a form that issues
    assert f'/certificates/{failing.id}"' not in page  # no form for the one who does not qualify
    button = re.search(rf'<button type="button" class="button" disabled aria-describedby="unmet-{failing.id}"[^>]*>',
                       page)
    assert button and "考试" in button.group(0)  # the reason, also in the button's title
    assert re.search(rf'<ul class="reasons error" id="unmet-{failing.id}"><li>[^<]*考试', page)
