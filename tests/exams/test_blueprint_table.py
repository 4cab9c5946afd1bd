"""The blueprint edited as a table: category × type rows, difficulty columns with the available
count in each cell, points per row, totals; saved through the same checks as the text form."""
from __future__ import annotations

import re

from lms.exams import services
from lms.extensions import db


def _inputs(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="text" inputmode="(?:numeric|decimal)" name="([np]-[^"]+)" value="([^"]*)"',
                           page))


def test_the_table_shows_the_blueprint_with_availability_and_totals(setup, client, login):
    s = setup()
    login(s.staff)
    page = client.get(f"/staff/exams/{s.exam.id}/blueprint").get_data(as_text=True)
    fields = _inputs(page)
    cells = {k: v for k, v in fields.items() if k.startswith("n-") and v}
    assert len(cells) == 5 and sorted(cells.values()) == ["1", "1", "1", "2", "2"]
    assert "可用 " in page and "单选题" in page
    count, points = services.paper_size(s.exam)
    assert re.search(rf'id="total-questions">{count}<', page) and re.search(rf'id="total-points">{points:g}<', page)


def test_saving_the_table_replaces_the_blueprint(setup, client, login):
    s = setup()
    login(s.staff)
    fields = _inputs(client.get(f"/staff/exams/{s.exam.id}/blueprint").get_data(as_text=True))
    essay = next(k for k, v in fields.items() if k.startswith("n-") and k.endswith("-4") and v == "1"
                 and f"p-{k[2:].rsplit('-', 1)[0]}" in fields and fields[f"p-{k[2:].rsplit('-', 1)[0]}"] == "10")
    fields[essay] = "0"  # no essay any more
    refresh = client.post(f"/staff/exams/{s.exam.id}/blueprint", data={**fields, "action": "refresh"})
    assert refresh.status_code == 200
    db.session.expire_all()
    assert len(s.exam.rules) == 5  # recalculating saves nothing
    response = client.post(f"/staff/exams/{s.exam.id}/blueprint", data={**fields, "action": "save"})
    assert response.status_code == 302
    db.session.expire_all()
    assert len(s.exam.rules) == 4 and all(r.type != "essay" for r in s.exam.rules)


def test_the_table_refuses_what_the_bank_cannot_fill_and_bad_numbers(setup, client, login):
    s = setup()
    login(s.staff)
    fields = _inputs(client.get(f"/staff/exams/{s.exam.id}/blueprint").get_data(as_text=True))
    first = next(k for k, v in fields.items() if k.startswith("n-") and v)
    response = client.post(f"/staff/exams/{s.exam.id}/blueprint", data={**fields, first: "999", "action": "save"})
    assert response.status_code == 422 and "题库无法满足组卷规则" in response.get_data(as_text=True)
    response = client.post(f"/staff/exams/{s.exam.id}/blueprint", data={**fields, first: "两", "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "题数应为 0–1000 的整数" in page
    assert re.search(rf'name="{first}" value="两"[^>]*aria-invalid="true"', page)
    db.session.expire_all()
    assert len(s.exam.rules) == 5


def test_others_cannot_change_the_table(setup, client, login, make_user, make_institution):
    s = setup()
    login(make_user("institution", scope=make_institution()))
    assert client.get(f"/staff/exams/{s.exam.id}/blueprint").status_code == 404
    login(s.grader)
    assert client.post(f"/staff/exams/{s.exam.id}/blueprint", data={"action": "save"}).status_code in (403, 404)
