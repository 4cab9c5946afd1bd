"""The rule engine on every branch of the shipped rule sets, plus `not`, missing values, validation,
and reasons stored as codes that are worded in the reader's language."""
import json
import re

import pytest

from lms.core.errors import ValidationFailed
from lms.programs.eligibility import (DEFAULT_RULES, LIAONING_CSO, LIAONING_DIRECTOR, LIAONING_SPECIALIST,
                                      SHANGHAI_DIRECTOR, evaluate, reason_texts, rule_problems, validate_rules,
                                      verdict_json)

CJK = re.compile(r"[\u4e00-\u9fff\uff01-\uff5e]")


def facts(title="none", years=0, major=False, education="bachelor"):
    return {"title_level": title, "standardization_years": years, "standardization_major": major,
            "education": education, "appointment_status": "prospective"}


@pytest.mark.parametrize("profile, result", [
    # title >= intermediate settles the first part; three years settle the second
    (facts("intermediate", 3), "eligible"),
    (facts("senior", 10), "eligible"),
    # standardization major with two years is enough
    (facts("associate_senior", 2, major=True), "eligible"),
    # two years without the major are not
    (facts("intermediate", 2), "ineligible"),
    # a major with less than two years is not
    (facts("intermediate", 1.5, major=True), "ineligible"),
    # below intermediate: only a person can judge the "relevant degree" -> review, not a guess
    (facts("junior", 5), "review"),
    (facts("none", 2, major=True), "review"),
    # below intermediate and too few years: ineligible whatever the degree
    (facts("junior", 1), "ineligible"),
])
def test_shanghai_director_rules(profile, result):
    verdict = evaluate(SHANGHAI_DIRECTOR, profile)
    assert verdict.result == result


def test_shanghai_reasons_are_plain_chinese():
    review = evaluate(SHANGHAI_DIRECTOR, facts("junior", 5)).texts()
    assert review[0] == "需人工审核。"
    assert "需人工审核：具有与所从事行业相关的学历背景（系统无法自动判断）" in review
    assert "不满足：职称不低于中级（当前：初级）" in review  # why the degree must be reviewed
    assert "满足：标准化工作年限3年以上（当前：5年）" in review

    met_by_title = evaluate(SHANGHAI_DIRECTOR, facts("intermediate", 5)).texts()
    assert not any("学历背景" in r for r in met_by_title)  # a met `any` names only what met it

    failed = evaluate(SHANGHAI_DIRECTOR, facts("intermediate", 2)).texts()
    assert failed[0] == "不符合任职条件。"
    assert "不满足：标准化工作年限3年以上（当前：2年）" in failed
    assert "不满足：具有标准化专业或学科背景（当前：否）" in failed

    passed = evaluate(SHANGHAI_DIRECTOR, facts("intermediate", 4)).texts()
    assert "满足：职称不低于中级（当前：中级）" in passed
    assert "满足：标准化工作年限3年以上（当前：4年）" in passed


@pytest.mark.parametrize("profile, result", [
    (facts(education="junior_college"), "eligible"),  # 大专 is enough
    (facts(education="doctorate"), "eligible"),
    (facts("intermediate", education="high_school"), "eligible"),  # or an intermediate title
    (facts("junior", education="high_school"), "ineligible"),
])
def test_liaoning_specialist_rules(profile, result):
    assert evaluate(LIAONING_SPECIALIST, profile).result == result


def test_liaoning_failure_names_both_conditions():
    reasons = evaluate(LIAONING_SPECIALIST, facts("junior", education="high_school")).texts()
    assert "不满足：学历不低于大专（当前：高中及以下）" in reasons
    assert "不满足：职称不低于中级（当前：初级）" in reasons


def test_not_swaps_results_and_keeps_review():
    assert evaluate({"not": {"field": "title_level", "op": "eq", "value": "none"}}, facts("none")).result == "ineligible"
    assert evaluate({"not": {"field": "title_level", "op": "eq", "value": "none"}}, facts("junior")).result == "eligible"
    assert evaluate({"not": {"manual": "无不良记录"}}, facts()).result == "review"


def test_missing_value_is_not_met():
    verdict = evaluate(LIAONING_SPECIALIST, {"education": None, "title_level": ""})
    assert verdict.result == "ineligible"
    assert any("学历未填写" in r for r in verdict.texts())


def test_no_rules_means_eligible():
    assert evaluate(None, facts()).result == "eligible"


@pytest.mark.parametrize("rules, fragment", [
    ({"all": []}, "应为非空列表"),
    ({"any": [{"field": "height", "op": "gte", "value": 1}]}, "未知字段"),
    ({"field": "title_level", "op": "gte", "value": "master"}, "应为 none"),
    ({"field": "standardization_years", "op": "gte", "value": "3"}, "应为数字"),
    ({"field": "standardization_major", "op": "gte", "value": 1}, "只能用 is_true"),
    ({"manual": " "}, "请写明"),
    ([1, 2], "每个节点"),
])
def test_bad_rules_are_refused_with_the_place(rules, fragment):
    assert any(fragment in p for p in rule_problems(rules))
    with pytest.raises(ValidationFailed) as error:
        validate_rules(rules)
    assert fragment in error.value.fields["eligibility_rules"]


def test_default_rules_are_well_formed():
    assert rule_problems(SHANGHAI_DIRECTOR) == [] and rule_problems(LIAONING_SPECIALIST) == []


# ---- the three Liaoning tiers (seed 001) ------------------------------------------------------

def liaoning(position=None, education="bachelor", title="none", years=0):
    return {**facts(title, years, education=education), "position_level": position}


@pytest.mark.parametrize("position, result", [
    ("head", "review"),  # 副总经理（或相应职务层次）及以上: the strategic-thinking condition is for a person to judge
    ("deputy_head", "review"),
    ("department_head", "ineligible"),
    ("staff", "ineligible"),
    (None, "ineligible"),  # a profile saved before the position level was asked
])
def test_liaoning_cso_is_a_deputy_general_manager_or_above(position, result):
    verdict = evaluate(LIAONING_CSO, liaoning(position, years=0))  # no years of standardization work asked
    assert verdict.result == result
    texts = verdict.texts()
    if result == "review":
        current = {"head": "企业负责人", "deputy_head": "副总经理或相应职务层次"}[position]
        assert f"满足：职务层级不低于副总经理或相应职务层次（当前：{current}）" in texts
        assert "需人工审核：具备标准化战略思维，熟悉国家标准化法律法规和战略规划（系统无法自动判断）" in texts
    elif position is None:
        assert "不满足：职务层级不低于副总经理或相应职务层次（职务层级未填写）" in texts
    assert not any("年限" in text for text in texts)


@pytest.mark.parametrize("position, result", [
    ("head", "review"), ("deputy_head", "review"), ("department_head", "review"),  # 技术总监、质量部长或相应层次
    ("staff", "ineligible"), (None, "ineligible"),
])
def test_liaoning_director_is_a_department_head_or_above(position, result):
    verdict = evaluate(LIAONING_DIRECTOR, liaoning(position))
    assert verdict.result == result
    if result == "review":
        manual = "需人工审核：熟悉企业标准化基本理论与业务知识，具备一定的标准化工作经验（系统无法自动判断）"
        assert manual in verdict.texts()


@pytest.mark.parametrize("position", ["staff", "department_head", "head", None])
def test_liaoning_specialist_reads_no_position_level(position):
    assert evaluate(LIAONING_SPECIALIST, liaoning(position, education="junior_college")).result == "eligible"
    assert evaluate(LIAONING_SPECIALIST, liaoning(position, education="high_school")).result == "ineligible"


def test_the_shipped_rules_are_the_presets_and_well_formed():
    assert set(DEFAULT_RULES) == {"shanghai_director", "liaoning_cso", "liaoning_director", "liaoning_specialist"}
    for _label, rules in DEFAULT_RULES.values():
        assert rule_problems(rules) == []


# ---- reasons are stored as codes and worded when read ---------------------------------------------

def test_reasons_are_stored_as_codes_and_read_in_the_readers_language(app):
    from flask_babel import force_locale

    stored = evaluate(SHANGHAI_DIRECTOR, facts("junior", 5)).as_json()
    assert json.loads(json.dumps(stored)) == stored  # plain JSON
    assert not any(isinstance(reason, str) for reason in stored["reasons"])  # no sentence in any language
    with force_locale("en"):
        english = verdict_json(stored)
    assert english["result"] == "review" and english["reasons"][0] == "Manual review required."
    assert "Not met: Professional title at least Intermediate (currently: Junior)" in english["reasons"]
    assert "Met: Years of standardization work: 3 years or more (currently: 5 years)" in english["reasons"]
    assert not any(CJK.search(reason) for reason in english["reasons"] if "学历背景" not in reason)


def test_verdicts_stored_as_sentences_before_still_show():
    old = {"result": "eligible", "reasons": ["符合任职条件。", "满足：职称不低于中级职称（当前：中级职称）"]}
    assert reason_texts(old) == ["满足：职称不低于中级职称（当前：中级职称）"]
    assert verdict_json(old) == {"result": "eligible",
                                 "reasons": ["符合任职条件。", "满足：职称不低于中级职称（当前：中级职称）"]}
    assert verdict_json(None) == {"result": None, "reasons": []}
