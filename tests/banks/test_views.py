"""The staff pages: access, lists and filters, the editor, retiring, import, downloads."""
from __future__ import annotations

import html as html_lib
import io

import pytest
from sqlalchemy import select

from lms.banks.importers.xlsx import build_template
from lms.banks.models import Question, QuestionBank
from lms.extensions import db


@pytest.fixture
def staff(make_institution, make_user, load_bank, small_bank_text):
    """A shared bank (demo-small), an institution with its own bank, its staff and grader."""
    load_bank(("small.yaml", small_bank_text))
    home, other = make_institution(), make_institution()
    own = small_bank_text.replace("code: demo-small", "code: home-bank").replace("title: 小题库", "title: 本机构题库")
    load_bank(("own.yaml", own), owner_institution_id=home.id)
    foreign = small_bank_text.replace("code: demo-small", "code: other-bank")
    load_bank(("other.yaml", foreign), owner_institution_id=other.id)
    banks = {b.code: b for b in db.session.scalars(select(QuestionBank))}
    return {
        "banks": banks,
        "staff": make_user(role="institution", scope=home),
        "grader": make_user(role="grader", scope=home),
        "admin": make_user(role="admin"),
        "trainee": make_user(role="trainee"),
    }


def q_id(bank, external_id="S-1") -> int:
    return db.session.scalar(select(Question.id).where(Question.bank_id == bank.id,
                                                       Question.external_id == external_id))


def test_staff_see_shared_and_own_banks_but_not_others(staff, login, client):
    login(staff["staff"])
    html = client.get("/banks").get_data(as_text=True)
    assert "本机构题库" in html and "demo-small" in html and "other-bank" not in html
    assert client.get(f"/banks/{staff['banks']['other-bank'].id}").status_code == 404
    assert client.get(f"/banks/{staff['banks']['demo-small'].id}").status_code == 200


def test_trainees_are_told_nothing_exists(staff, login, client, api_token):
    headers = api_token(staff["trainee"])
    assert client.post("/api/v1/banks/preview", json={"type": "single"}, headers=headers).status_code == 404
    login(staff["trainee"])
    assert client.get("/banks").status_code == 404
    assert client.get(f"/banks/{staff['banks']['demo-small'].id}").status_code == 404


def test_question_list_filters(staff, login, client):
    login(staff["staff"])
    bank = staff["banks"]["home-bank"]
    url = f"/banks/{bank.id}"
    assert "共 5 题" in client.get(url).get_data(as_text=True)
    assert "共 1 题" in client.get(url + "?type=fill").get_data(as_text=True)
    assert "共 2 题" in client.get(url + "?difficulty=2").get_data(as_text=True)
    assert "共 1 题" in client.get(url + "?tag=体系").get_data(as_text=True)
    assert "共 1 题" in client.get(url + "?q=强制性标准必须").get_data(as_text=True)
    assert "共 1 题" in client.get(url + "?q=s-4").get_data(as_text=True)
    assert "共 0 题" in client.get(url + "?q=%25").get_data(as_text=True)
    category = bank.category("IMPL").id
    assert "共 3 题" in client.get(url + f"?category={category}").get_data(as_text=True)
    assert "共 0 题" in client.get(url + "?retired=1").get_data(as_text=True)


EDIT = {"category": "GEN", "type": "single", "difficulty": "2", "points": "1",
        "stem": "行业标准属于哪一类标准？（修订）", "options": "A. 强制性标准\nB. 推荐性标准\nC. 团体标准", "answer": "B",
        "explanation": "第二条。", "source": "标准化法 第二条", "tags": "体系"}


def test_editing_a_question_makes_a_new_revision(staff, login, client):
    login(staff["staff"])
    bank = staff["banks"]["home-bank"]
    url = f"/banks/{bank.id}/questions/{q_id(bank)}"
    page = client.get(url).get_data(as_text=True)
    assert "行业标准属于哪一类标准？" in page and "学员视图预览" in page and "试题统计" in page
    response = client.post(url, data=EDIT)
    assert response.status_code == 302
    db.session.expire_all()
    question = db.session.get(Question, q_id(bank))
    assert question.current_number == 2 and question.current.stem.endswith("（修订）")
    assert question.revisions[0].stem == "行业标准属于哪一类标准？"


def test_editor_shows_what_is_wrong(staff, login, client):
    login(staff["staff"])
    bank = staff["banks"]["home-bank"]
    html = client.post(f"/banks/{bank.id}/questions/{q_id(bank)}", data={**EDIT, "answer": "Z"}).get_data(as_text=True)
    assert "答案应为一个选项键" in html
    db.session.expire_all()
    assert db.session.get(Question, q_id(bank)).current_number == 1


def test_new_question(staff, login, client):
    login(staff["staff"])
    bank = staff["banks"]["home-bank"]
    response = client.post(f"/banks/{bank.id}/questions/new", data={**EDIT, "external_id": "S-9"})
    assert response.status_code == 302
    assert q_id(bank, "S-9") is not None
    html = client.post(f"/banks/{bank.id}/questions/new", data={**EDIT, "external_id": "S-9"}).get_data(as_text=True)
    assert "已存在" in html


def test_graders_read_but_cannot_edit(staff, login, client):
    login(staff["grader"])
    bank = staff["banks"]["home-bank"]
    url = f"/banks/{bank.id}/questions/{q_id(bank)}"
    assert client.get(url).status_code == 200
    assert client.post(url, data=EDIT).status_code == 403
    assert client.get(f"/banks/{bank.id}/questions/new").status_code == 403
    assert client.get("/banks/import").status_code == 404


def test_staff_cannot_edit_shared_banks(staff, login, client):
    login(staff["staff"])
    bank = staff["banks"]["demo-small"]
    assert client.post(f"/banks/{bank.id}/questions/{q_id(bank)}", data=EDIT).status_code == 403


def test_delete_unused_and_retire_used(staff, login, client):
    login(staff["staff"])
    bank = staff["banks"]["home-bank"]
    used = db.session.get(Question, q_id(bank, "S-2"))
    used.times_used = 4
    db.session.commit()
    asked = client.post(f"/banks/{bank.id}/questions/{q_id(bank, 'S-3')}/delete").get_data(as_text=True)
    assert "删除试题？" in asked and "永久删除，不能恢复" in asked
    asked = client.post(f"/banks/{bank.id}/questions/{q_id(bank, 'S-2')}/delete").get_data(as_text=True)
    assert "停用试题？" in asked and "不会被删除" in asked
    db.session.expire_all()
    assert q_id(bank, "S-3") is not None and not db.session.get(Question, q_id(bank, "S-2")).retired
    yes = {"confirmed": "yes"}
    assert client.post(f"/banks/{bank.id}/questions/{q_id(bank, 'S-2')}/delete", data=yes).status_code == 302
    assert client.post(f"/banks/{bank.id}/questions/{q_id(bank, 'S-3')}/delete", data=yes).status_code == 302
    db.session.expire_all()
    assert db.session.get(Question, q_id(bank, "S-2")).retired
    assert q_id(bank, "S-3") is None
    assert "共 1 题" in client.get(f"/banks/{bank.id}?retired=1").get_data(as_text=True)


def test_preview_api_renders_the_trainee_view_without_answers(staff, login, client, api_token):
    headers = api_token(staff["staff"])
    fields = {**EDIT, "type": "essay", "options": "", "answer": "参考答案要点甲乙丙", "points": "10",
              "rubric": "岗位定位：4\n职责要点：6", "explanation": "解析文字不可见"}
    result = client.post("/api/v1/banks/preview", json=fields, headers=headers).get_json()
    assert result["problems"] == {}
    assert "行业标准属于哪一类标准" in result["html"] and "<textarea" in result["html"]
    for secret in ("参考答案要点甲乙丙", "岗位定位", "解析文字不可见"):
        assert secret not in result["html"]
    bad = client.post("/api/v1/banks/preview", json={**EDIT, "answer": "Z"}, headers=headers).get_json()
    assert "answer" in bad["problems"] and 'type="radio"' in bad["html"]


def test_preview_with_a_session_needs_the_csrf_header(staff, login, client):
    login(staff["staff"])
    response = client.post("/api/v1/banks/preview", json=EDIT)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf_failed"


def test_import_dry_run_then_confirm(staff, login, client, small_bank_text):
    login(staff["staff"])
    text = small_bank_text.replace("code: demo-small", "code: home-bank").replace("answer: B", "answer: C")
    text = text.replace("title: 小题库", "title: 本机构题库")
    response = client.post("/banks/import", data={"action": "dry_run", "bank_code": "", "category": "",
                                                  "files": [(io.BytesIO(text.encode()), "home.yaml")]},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert "试运行结果" in html and "确认导入" in html and "S-1" in html
    db.session.expire_all()
    bank = staff["banks"]["home-bank"]
    assert db.session.get(Question, q_id(bank)).current_number == 1  # nothing written yet
    payload = html_lib.unescape(html.split('name="payload" value="')[1].split('"')[0])
    response = client.post("/banks/import", data={"action": "confirm", "payload": payload, "bank_code": "",
                                                  "category": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Question, q_id(bank)).current.data["answer"] == "C"


def test_import_page_shows_errors_and_offers_no_confirm(staff, login, client, small_bank_text):
    login(staff["staff"])
    text = small_bank_text.replace("code: demo-small", "code: home-bank").replace("difficulty: 3", "difficulty: 8")
    html = client.post("/banks/import", data={"action": "dry_run", "bank_code": "", "category": "",
                                              "files": [(io.BytesIO(text.encode()), "home.yaml")]},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "home.yaml 第 " in html and "难度" in html and "确认导入" not in html


def test_staff_cannot_import_into_a_shared_bank(staff, login, client, small_bank_text):
    login(staff["staff"])
    html = client.post("/banks/import", data={"action": "dry_run", "bank_code": "", "category": "",
                                              "files": [(io.BytesIO(small_bank_text.encode()), "s.yaml")]},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "无权向其导入" in html


def test_upload_size_limit(staff, login, make_app, small_bank_text):
    app = make_app(BANK_UPLOAD_MAX_BYTES=100)
    client = app.test_client()
    client.post("/login", data={"username": staff["staff"].username, "password": "Passw0rd!x"})
    html = client.post("/banks/import", data={"action": "dry_run", "bank_code": "", "category": "",
                                              "files": [(io.BytesIO(small_bank_text.encode()), "big.yaml")]},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "big.yaml：文件超过" in html


def test_excel_import_into_a_chosen_bank(staff, login, client):
    login(staff["staff"])
    html = client.post("/banks/import", data={"action": "dry_run", "bank_code": "home-bank", "category": "",
                                              "files": [(io.BytesIO(build_template()), "t.xlsx")]},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "home-bank" in html and "确认导入" in html


def test_downloads(staff, login, client):
    login(staff["grader"])
    template = client.get("/banks/template.xlsx")
    assert template.status_code == 200 and template.data[:2] == b"PK"
    bank = staff["banks"]["home-bank"]
    gift = client.get(f"/banks/{bank.id}/export/gift")
    assert gift.status_code == 200 and "::S-1::" in gift.get_data(as_text=True)
    assert "code: home-bank" in client.get(f"/banks/{bank.id}/export/yaml").get_data(as_text=True)


def test_creating_a_bank(staff, login, client):
    login(staff["staff"])
    response = client.post("/banks", data={"code": "my-new", "title": "新题库"})
    assert response.status_code == 302
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.code == "my-new"))
    assert bank.owner_institution_id == staff["staff"].grants[0].institution_id
    html = client.post("/banks", data={"code": "bad code!", "title": "x"}).get_data(as_text=True)
    assert "题库代码只能包含" in html


def test_confirm_carries_a_bank_bigger_than_the_form_field_default(staff, login, client, small_bank_text):
    login(staff["admin"])
    questions = small_bank_text.split("questions:\n")[1]
    big = small_bank_text.replace("code: demo-small", "code: big-bank")
    for n in range(50):
        big += questions.replace("id: S-", f"id: B{n}-").replace("？", f"（{n}）？").replace("。\n    answer: true",
                                                                                    f"（{n}）。\n    answer: true")
    big += "# " + "填充" * ((430_000 - len(big.encode())) // 6) + "\n"
    # base64 in the confirm form makes it > 500 kB; the upload itself stays below the size at
    # which the test client spools it to a temporary file it never closes
    assert 400_000 < len(big.encode()) < 500_000
    html = client.post("/banks/import", data={"action": "dry_run", "bank_code": "", "category": "",
                                              "files": [(io.BytesIO(big.encode()), "big.yaml")]},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "确认导入" in html, html[:2000]
    payload = html_lib.unescape(html.split('name="payload" value="')[1].split('"')[0])
    response = client.post("/banks/import", data={"action": "confirm", "payload": payload,
                                                  "bank_code": "", "category": ""})
    assert response.status_code == 302
    assert db.session.scalar(select(QuestionBank).where(QuestionBank.code == "big-bank")) is not None


def test_pages_keep_the_filters(login, make_user, client):
    from lms.banks.demo import seed_banks

    seed_banks()
    db.session.commit()
    login(make_user(role="admin"))
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.code == "std-law"))
    html = client.get(f"/banks/{bank.id}?type=single").get_data(as_text=True)
    assert "第 1 / 2 页" in html
    assert f"/banks/{bank.id}?page=2&amp;type=single" in html
    assert "共 39 题" in client.get(f"/banks/{bank.id}?type=single&page=2").get_data(as_text=True)


def test_pages_render_in_english(staff, login, client):
    login(staff["staff"])
    client.post("/lang/en")
    bank = staff["banks"]["home-bank"]
    for url in ("/banks", f"/banks/{bank.id}", f"/banks/{bank.id}/questions/{q_id(bank)}", "/banks/import",
                f"/banks/{bank.id}/questions/new"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.get_data(as_text=True)


def test_renaming_a_bank(staff, login, client):
    login(staff["staff"])
    bank = staff["banks"]["home-bank"]
    assert client.post(f"/banks/{bank.id}/title", data={"title": "新名称"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(QuestionBank, bank.id).title == "新名称"
    shared = staff["banks"]["demo-small"]
    assert client.post(f"/banks/{shared.id}/title", data={"title": "x"}).status_code == 403
    assert client.post(f"/banks/{staff['banks']['other-bank'].id}/title", data={"title": "x"}).status_code == 404


def test_options_answers_and_rubric_are_edited_as_fields(staff, login, client):
    import re

    login(staff["staff"])
    bank = staff["banks"]["home-bank"]
    url = f"/banks/{bank.id}/questions/{q_id(bank)}"
    page = client.get(url).get_data(as_text=True)
    texts = re.findall(r'<input type="text" name="option-(\d+)" id="option-\d+" value="([^"]*)"', page)
    assert [t for _n, t in texts if t]  # the options as fields, one per row
    checked = re.findall(r'<input type="checkbox" name="correct" value="(\d+)" id="correct-\d+" checked', page)
    assert len(checked) == 1  # the single choice's answer, marked
    base = {k: v for k, v in EDIT.items() if k not in ("options", "answer")}
    fields = {**base, "editor": "fields", "option-0": "强制性标准", "option-1": "", "option-2": "推荐性标准",
              "option-3": "团体标准", "correct": "2"}
    assert client.post(url, data=fields).status_code == 302
    db.session.expire_all()
    current = db.session.get(Question, q_id(bank)).current
    assert [o["text"] for o in current.data["options"]] == ["强制性标准", "推荐性标准", "团体标准"]  # blank row skipped
    assert current.data["answer"] == "B"  # lettered in order: the third row became B
    page = client.post(url, data={**fields, "correct": ["0", "2"]}).get_data(as_text=True)
    assert "答案应为一个选项键" in page  # two marked for a single choice: refused, on the page
    text_mode = {**base, "editor": "fields", "use_text": "1", "options": "A. 甲\nB. 乙", "answer_text": "A",
                 "option-0": "ignored", "correct": "0"}
    assert client.post(url, data=text_mode).status_code == 302
    db.session.expire_all()
    current = db.session.get(Question, q_id(bank)).current
    assert [o["text"] for o in current.data["options"]] == ["甲", "乙"] and current.data["answer"] == "A"


def test_true_false_and_essay_rubric_as_fields(staff, login, client):
    login(staff["staff"])
    bank = staff["banks"]["home-bank"]
    url = f"/banks/{bank.id}/questions/new"
    tf = {"category": "GEN", "type": "truefalse", "difficulty": "2", "points": "1", "stem": "标准可以自愿采用。",
          "editor": "fields", "tf_answer": "true", "external_id": "TF-9"}
    assert client.post(url, data=tf).status_code == 302
    essay = {"category": "GEN", "type": "essay", "difficulty": "3", "points": "10", "stem": "论述企业标准化的作用。",
             "editor": "fields", "answer": "参考要点", "external_id": "ES-9",
             "rubric-text-0": "要点齐全", "rubric-points-0": "6", "rubric-text-1": "条理清楚", "rubric-points-1": "4",
             "rubric-text-2": "", "rubric-points-2": ""}
    assert client.post(url, data=essay).status_code == 302
    db.session.expire_all()
    assert db.session.get(Question, q_id(bank, "TF-9")).current.data["answer"] is True
    rubric = db.session.get(Question, q_id(bank, "ES-9")).current.data["rubric"]
    assert rubric == [{"criterion": "要点齐全", "points": 6}, {"criterion": "条理清楚", "points": 4}]
    wrong = {**essay, "external_id": "ES-10", "rubric-points-1": "3"}
    assert "不一致" in client.post(url, data=wrong).get_data(as_text=True)
