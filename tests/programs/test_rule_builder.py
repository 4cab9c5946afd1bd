"""Eligibility rules built with a form: groups (all / any), conditions by name, no raw syntax."""
from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from lms.extensions import db
from lms.programs import rule_builder
from lms.programs.eligibility import DEFAULT_RULES, SHANGHAI_DIRECTOR
from tests.enrollment.conftest import make_program  # noqa: F401 - fixture


def _fields(page: str) -> MultiDict:
    """What the browser would post: hidden and text inputs, the selected options, checked boxes."""
    start = page.index('id="rule-builder"')
    form = page[start:page.index("</form>", start)]
    data = MultiDict()
    for name, value in re.findall(r'<input type="(?:hidden|text)"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form):
        data.add(name, value)
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body) or re.search(r'<option value="([^"]*)"', body)
        data.add(name, chosen.group(1))
    for name in re.findall(r'<input type="checkbox" name="([^"]+)" value="1" checked>', form):
        data.add(name, "1")
    return data


def test_every_preset_goes_through_the_form_unchanged():
    for _label, rules in DEFAULT_RULES.values():
        drawn = rule_builder.nodes_from_rules(rules)
        assert rule_builder.edit(rules, "refresh") == rules
        assert drawn["kind"] in ("all", "any")


def test_the_builder_draws_names_and_saves_what_it_shows(client, login, make_user, make_program):
    program = make_program(rules=SHANGHAI_DIRECTOR)
    login(make_user("admin"))
    page = client.get(f"/admin/programs/{program.id}/rules").get_data(as_text=True)
    assert "同时满足以下全部条件" in page and "满足以下任一条件" in page
    assert '<option value="intermediate" selected>中级</option>' in page  # values by name
    assert "具有与所从事行业相关的学历背景" in page and '"field"' not in page  # no raw syntax
    data = _fields(page)
    response = client.post(f"/admin/programs/{program.id}/rules", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert program.eligibility_rules == SHANGHAI_DIRECTOR


def test_adding_and_removing_conditions_redraws_without_saving(client, login, make_user, make_program):
    program = make_program(rules={"field": "education", "op": "gte", "value": "bachelor"})
    login(make_user("admin"))
    page = client.get(f"/admin/programs/{program.id}/rules").get_data(as_text=True)
    data = _fields(page)
    data["edit"] = "add-group:r"
    page = client.post(f"/admin/programs/{program.id}/rules", data=data).get_data(as_text=True)
    assert 'name="kind-r.1"' in page and 'name="field-r.1.0"' in page
    data = _fields(page)
    data["kind-r"], data["kind-r.1"] = "all", "any"
    data["field-r.1.0"], data["op-r.1.0"], data["value-r.1.0"] = "standardization_years", "gte", "2.5"
    data.add("not-r.0", "1")
    data["edit"] = ""
    assert program.eligibility_rules == {"field": "education", "op": "gte", "value": "bachelor"}  # not yet saved
    assert client.post(f"/admin/programs/{program.id}/rules", data=data).status_code == 302
    db.session.expire_all()
    assert program.eligibility_rules == {"all": [
        {"not": {"field": "education", "op": "gte", "value": "bachelor"}},
        {"any": [{"field": "standardization_years", "op": "gte", "value": 2.5}]}]}
    page = client.get(f"/admin/programs/{program.id}/rules").get_data(as_text=True)
    data = _fields(page)
    data["edit"] = "remove:r.1"
    page = client.post(f"/admin/programs/{program.id}/rules", data=data).get_data(as_text=True)
    assert 'name="kind-r.1"' not in page


def test_a_bad_value_is_refused_with_nothing_saved(client, login, make_user, make_program):
    program = make_program(rules={"field": "standardization_years", "op": "gte", "value": 3})
    login(make_user("admin"))
    data = _fields(client.get(f"/admin/programs/{program.id}/rules").get_data(as_text=True))
    data["value-r.0"] = "三年"
    response = client.post(f"/admin/programs/{program.id}/rules", data=data)
    assert response.status_code == 422 and "应为数字" in response.get_data(as_text=True)
    db.session.expire_all()
    assert program.eligibility_rules == {"field": "standardization_years", "op": "gte", "value": 3}
