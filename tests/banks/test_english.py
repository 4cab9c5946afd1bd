"""The bank pages in English, deeper than the site-wide crawl goes: the editor for a question
of every type, every filter, the import page with a report, the editor's preview and refusals.
No Chinese outside names and data (question text, options, rubric criteria are data)."""
from __future__ import annotations

import io

from sqlalchemy import select

from lms.accounts.models import User
from lms.banks.models import Question, QuestionBank, QuestionRevision
from lms.banks.types import QUESTION_TYPES
from lms.demo import seed_demo
from lms.extensions import db
from tests.test_english_pages import CJK, _data_strings, _Page


def chinese_left(html: str, data: list[str]) -> list[str]:
    page = _Page()
    page.feed(html)
    text = " ".join(" ".join(page.text).split())
    for value in data:
        text = text.replace(value, " ")
    return CJK.findall(text)


def test_bank_pages_in_english(client, api_token):
    seed_demo()
    db.session.commit()
    data = _data_strings()
    assert client.post("/login", data={"username": "institution", "password": "Demo@2026"}).status_code == 302
    client.post("/lang/en")
    own = db.session.scalar(select(QuestionBank).where(QuestionBank.code == "sh-stc-practice"))
    shared = db.session.scalar(select(QuestionBank).where(QuestionBank.code == "std-law"))
    urls = ["/banks", "/banks/import", f"/banks/{own.id}/questions/new", f"/banks/{shared.id}?retired=all",
            f"/banks/{shared.id}?difficulty=3&type=fill&retired=1", f"/banks/{own.id}"]
    for kind in QUESTION_TYPES:
        question = db.session.scalar(select(Question)
                                     .join(QuestionRevision, QuestionRevision.question_id == Question.id)
                                     .where(QuestionRevision.type == kind).limit(1))
        urls.append(f"/banks/{question.bank_id}/questions/{question.id}")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert chinese_left(response.get_data(as_text=True), data) == [], url

    # a report with errors and warnings (the essay without a rubric), and a refused edit
    gift = "::E1::论述标准化的作用。{}\n\n::E2::题干 {~甲 ~乙}\n"
    response = client.post("/banks/import", data={"action": "dry_run", "bank_code": own.code, "category": "",
                                                  "files": [(io.BytesIO(gift.encode()), "q.gift")]},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "q.gift, line 3: the choice question has no right option (=)" in html
    assert "q.gift, line 1: the essay has no rubric" in html
    assert chinese_left(html.replace("整体评价", ""), data) == []
    question = db.session.scalar(select(Question).where(Question.bank_id == own.id).limit(1))
    response = client.post(f"/banks/{own.id}/questions/{question.id}", data={
        "category": "PRACTICE", "type": "single", "difficulty": "9", "points": "x", "stem": "", "answer": "Z"})
    assert chinese_left(response.get_data(as_text=True), data) == []
    staff = db.session.scalar(select(User).where(User.username == "institution"))
    preview = client.post("/api/v1/banks/preview", json={"type": "fill", "stem": "a ____ b", "answer": "x；y"},
                          headers={**api_token(staff, "Demo@2026"), "Accept-Language": "en"}).get_json()
    assert preview["problems"] and not any(CJK.search(p) for p in preview["problems"].values())
