"""The trainee's application shows the eligibility verdict as the tree the programme page draws,
each condition marked, what failed first, and what to do next."""
from __future__ import annotations

import json
import re

from lms.programs.eligibility import SHANGHAI_DIRECTOR, evaluate, explain, first_unmet


def _facts(title="none", years=0.0, major=False):
    return {"title_level": title, "standardization_years": years, "standardization_major": major,
            "education": "bachelor", "appointment_status": "prospective"}


def test_the_tree_carries_each_nodes_result_and_finds_what_failed_first():
    tree = explain(SHANGHAI_DIRECTOR, _facts("junior", 1))
    assert tree["result"] == "ineligible"
    first_part, second_part = tree["all"]
    assert first_part["result"] == "review"  # the manual condition keeps it for a person to judge
    assert [c["result"] for c in first_part["any"]] == ["review", "ineligible"]
    assert second_part["result"] == "ineligible"
    assert first_unmet(tree) == {"field": "standardization_years", "op": "gte", "value": 3, "current": 1,
                                 "result": "ineligible"}
    # with the years, only the manual condition stands between the trainee and admission
    reviewed = explain(SHANGHAI_DIRECTOR, _facts("junior", 4))
    assert reviewed["result"] == "review" and first_unmet(reviewed)["manual"].startswith("具有与所从事行业")
    assert first_unmet(explain(SHANGHAI_DIRECTOR, _facts("intermediate", 4))) is None
    stored = evaluate(SHANGHAI_DIRECTOR, _facts("junior", 1)).as_json()
    assert json.loads(json.dumps(stored))["tree"] == json.loads(json.dumps(tree))  # kept with the verdict


def test_the_application_page_draws_the_tree_with_the_first_failure_and_the_next_step(
        make_cohort, make_trainee, make_application, client, login):
    trainee = make_trainee(title_level="junior", standardization_years=1)
    application = make_application(make_cohort(), trainee)
    assert application.status == "ineligible"
    html = login(trainee).get(f"/my/applications/{application.id}").get_data(as_text=True)
    assert "不符合任职条件" in html
    assert "首先未满足的条件：标准化工作年限3年以上（当前：1年）" in html
    first = html[html.index('class="rule-leaf rule-first-leaf"'):]
    assert first.index("标准化工作年限3年以上（当前：1年）") < first.index('id="first-unmet"') < first.index("</span>\n")
    assert len(re.findall(r'id="first-unmet"', html)) == 1
    assert re.search(r'rule-mark-ineligible">✗ 未满足</span> 职称不低于中级(职称)?（当前：初级(职称)?）', html)
    assert "需人工审核" in html or "待人工审核" in html  # the manual condition is drawn, marked for a person
    next_step = html[html.index('id="next-step"'):]
    assert "标准化工作年限" in next_step[:400] and "/my/profile" in next_step[:800]


def test_in_english_the_tree_and_the_advice_are_english(make_cohort, make_trainee, make_application, client, login):
    trainee = make_trainee(title_level="junior", standardization_years=1)
    application = make_application(make_cohort(), trainee)
    login(trainee)
    client.post("/lang/en")
    html = client.get(f"/my/applications/{application.id}").get_data(as_text=True)
    assert "✗ Not met" in html and "Next step" in html
    explained = html[html.index('id="eligibility"'):html.index('class="rules rule-explained"')]
    assert not re.search(r"[\u4e00-\u9fff]", explained)
