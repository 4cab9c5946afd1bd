"""Fixtures for bank tests: a small valid bank and an import helper."""
from __future__ import annotations

import textwrap

import pytest

from lms.banks.imports import import_files
from lms.extensions import db

SMALL_BANK = textwrap.dedent("""\
    code: demo-small
    title: 小题库
    version: 2
    categories:
      - {code: GEN, title: 总则, module: M01}
      - {code: IMPL, title: 实施}
    questions:
      - id: S-1
        category: GEN
        type: single
        difficulty: 2
        points: 1
        stem: 行业标准属于哪一类标准？
        options: {A: 强制性标准, B: 推荐性标准, C: 团体标准}
        answer: B
        explanation: 行业标准是推荐性标准。
        source: 标准化法 第二条
        tags: [体系]
      - id: S-2
        category: GEN
        type: multiple
        difficulty: 3
        points: 2
        stem: 下列属于标准的有哪些？
        options: {A: 国家标准, B: 团体标准, C: 企业标准, D: 工作总结}
        answer: [A, B, C]
        explanation: 第二条。
        source: 标准化法 第二条
      - id: S-3
        category: IMPL
        type: truefalse
        difficulty: 1
        points: 1
        stem: 强制性标准必须执行。
        answer: true
        explanation: 第二条。
        source: 标准化法 第二条
      - id: S-4
        category: IMPL
        type: fill
        difficulty: 2
        points: 2
        stem: 国家鼓励企业、____和教育、科研机构等开展或者参与____工作。
        answer: [[社会团体, 社团], 标准化]
        explanation: 第七条。
        source: 标准化法 第七条
      - id: S-5
        category: IMPL
        type: essay
        difficulty: 4
        points: 10
        stem: 论述企业标准化总监的职责。
        answer: 参考要点……
        rubric:
          - {criterion: 岗位定位, points: 4}
          - {criterion: 职责, points: 6}
        explanation: 指导意见。
        source: 指导意见
    """)


@pytest.fixture
def small_bank_text() -> str:
    return SMALL_BANK


@pytest.fixture
def load_bank():
    """Import texts as files (CLI rights) and commit; returns the report."""

    def load(*files: tuple[str, str | bytes], commit: bool = True, **options):
        payload = [(name, text.encode() if isinstance(text, str) else text) for name, text in files]
        report = import_files(None, payload, **options)
        if commit and report.ok:
            db.session.commit()
        return report

    return load
