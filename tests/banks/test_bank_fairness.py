"""The shipped banks are used for formal exams, so a test-taker must not be able to score by
guessing from the form of a question: keys spread over the option letters, multiple-choice keys
not always the leading options, absolute wording not always false, no question twice, one label
per source document, and `excludes` groups that keep give-aways out of one paper."""
from __future__ import annotations

import random
from collections import Counter
from itertools import combinations

import pytest
import yaml
from sqlalchemy import select

from lms.banks.demo import sample_bank_files
from lms.banks.models import Question, QuestionBank
from lms.banks.services import exclusion_groups
from lms.banks.types import normalize_text
from lms.extensions import db

BANKS = {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sample_bank_files()}

MAX_KEY_SHARE = 0.35  # of a bank's single-choice items, per letter
MIN_NOT_LEADING = 0.30  # of a bank's multiple-choice items: keys other than A,B / A,B,C …
MIN_ABSOLUTE_TRUE = 0.25  # of a bank's true/false items worded with an absolute word
ABSOLUTE_WORDS = ("一律", "必须", "所有", "全部", "均", "仅", "只", "不得", "任何", "完全", "都", "一切", "凡是",
                  "无需", "无须", "绝不", "从不", "总是", "一定")
# The document part of every `source` (parts separated by "；"); an article or section may follow
# after a space: "标准化法 第二条".
SOURCE_DOCUMENTS = (
    "标准化法",
    "上海市《关于推进实施企业标准化总监制度的指导意见》",
    "《辽宁省首席标准官制度实施方案》",
    "上海市长宁区市场监督管理局对长宁区政协十五届三次会议第046号提案的答复",
    "沪府办发〔2015〕45号 《关于深化标准化改革促进标准化服务科技创新中心建设的工作方案》",
    "《浙江省企业标准筑基工程行动方案（2024—2027年）》（征求意见稿）",
)


def of_type(bank: dict, kind: str) -> list[dict]:
    return [q for q in bank["questions"] if q["type"] == kind]


def key_shares(bank: dict) -> dict[str, float]:
    singles = of_type(bank, "single")
    return {key: n / len(singles) for key, n in Counter(str(q["answer"]) for q in singles).items()}


def is_leading_run(question: dict) -> bool:
    keys = [str(k) for k in question["options"]]
    answer = sorted(str(a) for a in question["answer"])
    return answer == keys[:len(answer)]


def not_leading_share(bank: dict) -> float:
    multiples = of_type(bank, "multiple")
    return sum(not is_leading_run(q) for q in multiples) / len(multiples)


def absolute_items(bank: dict) -> list[dict]:
    return [q for q in of_type(bank, "truefalse") if any(word in q["stem"] for word in ABSOLUTE_WORDS)]


def absolute_true_share(bank: dict) -> float:
    items = absolute_items(bank)
    return sum(q["answer"] is True for q in items) / len(items) if items else 1.0


def unknown_source_parts(bank: dict) -> list[tuple[str, str]]:
    return [(q["id"], part) for q in bank["questions"] for part in q["source"].split("；")
            if not any(part == doc or part.startswith(doc + " ") for doc in SOURCE_DOCUMENTS)]


def test_the_four_banks_are_checked():
    assert len(BANKS) == 4


@pytest.mark.parametrize("name", sorted(BANKS))
def test_single_choice_keys_are_spread_over_the_letters(name):
    shares = key_shares(BANKS[name])
    assert max(shares.values()) <= MAX_KEY_SHARE, shares
    assert len(shares) == 4, shares  # every letter is a key somewhere


@pytest.mark.parametrize("name", sorted(BANKS))
def test_multiple_choice_keys_are_not_always_the_leading_options(name):
    assert not_leading_share(BANKS[name]) >= MIN_NOT_LEADING


@pytest.mark.parametrize("name", sorted(BANKS))
def test_absolute_wording_does_not_give_the_key(name):
    items = absolute_items(BANKS[name])
    assert items and absolute_true_share(BANKS[name]) >= MIN_ABSOLUTE_TRUE, [(q["id"], q["answer"]) for q in items]
    assert any(q["answer"] is False for q in items)  # and not always true either


def test_no_stem_is_asked_twice_across_the_banks():
    stems = Counter(normalize_text(q["stem"]) for bank in BANKS.values() for q in bank["questions"])
    assert [stem for stem, n in stems.items() if n > 1] == []


@pytest.mark.parametrize("name", sorted(BANKS))
def test_each_source_document_has_one_label(name):
    assert unknown_source_parts(BANKS[name]) == []


@pytest.mark.parametrize("name", sorted(BANKS))
def test_excludes_name_questions_of_the_bank(name):
    bank = BANKS[name]
    ids = {q["id"] for q in bank["questions"]}
    groups = bank.get("excludes") or []
    assert groups, "every shipped bank lists its give-away pairs"
    for group in groups:
        assert len(group) >= 2 and len(set(group)) == len(group) and set(group) <= ids, group
    assert len({frozenset(g) for g in groups}) == len(groups)  # no group twice


def test_the_checks_catch_an_unfair_bank():
    """The bounds above fail on the kind of bank they guard against."""
    unfair = {"questions": [
        *[{"id": f"S{i}", "type": "single", "stem": f"s{i}", "options": {"A": 1, "B": 2, "C": 3, "D": 4},
           "answer": "A", "source": "标准化法 第二条"} for i in range(9)],
        {"id": "S9", "type": "single", "stem": "s9", "options": {"A": 1, "B": 2}, "answer": "B",
         "source": "标准化法（2017年修订） 第二条"},
        *[{"id": f"M{i}", "type": "multiple", "stem": f"m{i}", "options": {"A": 1, "B": 2, "C": 3, "D": 4},
           "answer": ["A", "B"], "source": "标准化法"} for i in range(3)],
        {"id": "T1", "type": "truefalse", "stem": "强制性标准一律由国务院批准发布。", "answer": False, "source": "标准化法"}]}
    assert max(key_shares(unfair).values()) > MAX_KEY_SHARE
    assert not_leading_share(unfair) < MIN_NOT_LEADING
    assert absolute_true_share(unfair) < MIN_ABSOLUTE_TRUE
    assert unknown_source_parts(unfair) == [("S9", "标准化法（2017年修订） 第二条")]


def test_unknown_id_in_a_shipped_banks_excludes_is_an_error(load_bank):
    path = next(p for p in sample_bank_files() if p.name == "std-law.yaml")
    text = path.read_text(encoding="utf-8") + "  - [LAW-0001, LAW-0999]\n"
    line = len(text.splitlines())
    report = load_bank((path.name, text))
    assert not report.ok
    assert report.files[0].errors == [f"std-law.yaml 第 {line} 行（互斥组）：题号 LAW-0999 不在题库中"]


def test_papers_drawn_from_the_shipped_banks_never_hold_two_of_a_group(runner):
    """The demo's formal exam draws over three shipped banks with their groups."""
    from lms.exams import papers
    from lms.exams.models import Exam

    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    groups = []
    for bank in db.session.scalars(select(QuestionBank).where(QuestionBank.owner_institution_id.is_(None))):
        rows = db.session.execute(select(Question.external_id, Question.id).where(Question.bank_id == bank.id))
        ids = dict(rows.all())
        groups += [{ids[e] for e in group} for group in exclusion_groups(bank)]
    assert len(groups) >= 20
    exams = db.session.scalars(select(Exam).where(Exam.paper_mode == "blueprint")).all()
    assert exams
    pairs = {frozenset(p) for g in groups for p in combinations(sorted(g), 2)}
    drawn_pairs = 0
    for exam in exams:
        size = papers.paper_size(exam)[0]
        for seed in range(60):
            drawn = [item.question_id for item in papers.draw(exam, random.Random(seed))]
            assert len(drawn) == size
            assert not [p for p in combinations(drawn, 2) if frozenset(p) in pairs], (exam.title, seed)
            drawn_pairs += sum(1 for g in groups if len(g & set(drawn)) == 1)
    assert drawn_pairs  # the grouped questions are still drawn, one at a time

