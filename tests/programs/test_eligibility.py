"""The rule engine on every branch of both default rule sets, plus `not`, missing values and validation."""
import pytest

from lms.core.errors import ValidationFailed
from lms.programs.eligibility import LIAONING_SPECIALIST, SHANGHAI_DIRECTOR, evaluate, rule_problems, validate_rules


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
    review = evaluate(SHANGHAI_DIRECTOR, facts("junior", 5))
    assert review.reasons[0] == "需人工审核。"
    assert "需人工审核：具有与所从事行业相关的学历背景（系统无法自动判断）" in review.reasons
    assert "不满足：职称不低于中级职称（当前：初级职称）" in review.reasons  # why the degree must be reviewed
    assert "满足：标准化工作年限3年以上（当前：5年）" in review.reasons

    met_by_title = evaluate(SHANGHAI_DIRECTOR, facts("intermediate", 5))
    assert not any("学历背景" in r for r in met_by_title.reasons)  # a met `any` names only what met it

    failed = evaluate(SHANGHAI_DIRECTOR, facts("intermediate", 2))
    assert failed.reasons[0] == "不符合任职条件。"
    assert "不满足：标准化工作年限3年以上（当前：2年）" in failed.reasons
    assert "不满足：具有标准化专业或学科背景（当前：否）" in failed.reasons

    passed = evaluate(SHANGHAI_DIRECTOR, facts("intermediate", 4))
    assert "满足：职称不低于中级职称（当前：中级职称）" in passed.reasons
    assert "满足：标准化工作年限3年以上（当前：4年）" in passed.reasons


@pytest.mark.parametrize("profile, result", [
    (facts(education="junior_college"), "eligible"),  # 大专 is enough
    (facts(education="doctorate"), "eligible"),
    (facts("intermediate", education="high_school"), "eligible"),  # or an intermediate title
    (facts("junior", education="high_school"), "ineligible"),
])
def test_liaoning_specialist_rules(profile, result):
    assert evaluate(LIAONING_SPECIALIST, profile).result == result


def test_liaoning_failure_names_both_conditions():
    verdict = evaluate(LIAONING_SPECIALIST, facts("junior", education="high_school"))
    assert "不满足：学历不低于大专（当前：高中及以下）" in verdict.reasons
    assert "不满足：职称不低于中级职称（当前：初级职称）" in verdict.reasons


def test_not_swaps_results_and_keeps_review():
    assert evaluate({"not": {"field": "title_level", "op": "eq", "value": "none"}}, facts("none")).result == "ineligible"
    assert evaluate({"not": {"field": "title_level", "op": "eq", "value": "none"}}, facts("junior")).result == "eligible"
    assert evaluate({"not": {"manual": "无不良记录"}}, facts()).result == "review"


def test_missing_value_is_not_met():
    verdict = evaluate(LIAONING_SPECIALIST, {"education": None, "title_level": ""})
    assert verdict.result == "ineligible"
    assert any("学历未填写" in r for r in verdict.reasons)


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
