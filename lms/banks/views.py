"""Web pages for institution staff: banks, questions, the editor (import pages: import_views)."""
from __future__ import annotations

import random
from functools import wraps

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from lms.banks import bp, services
from lms.banks.editing import LETTERS, fields_from_content, option_rows, rubric_rows, text_from_structured
from lms.banks.importers.xlsx import answer_value
from lms.banks.enums import EXPORTABLE, Difficulty, QuestionStatus, Removal
from lms.banks.forms import BankForm, QuestionForm, choices
from lms.banks.types import QUESTION_TYPES, type_choices
from lms.core.errors import NotFound
from lms.core.inputs import int_or_none
from lms.core.pagination import paginate
from lms.web import attempt, confirmation, confirmed


def banks_page(*, write: bool = False):
    """Pages for users who may see banks (`write`: manage some bank); anyone else is told the
    page does not exist (404)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not (services.can_write if write else services.can_read)(current_user):
                raise NotFound(_l("页面不存在"))
            return view(*args, **kwargs)

        return wrapped

    return decorator


@bp.record_once
def _template_helpers(state) -> None:
    from lms.banks import rendering

    rendering.init_app(state.app)


@bp.route("/banks", methods=["GET", "POST"])
@banks_page()
def index():
    form = BankForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            bank = services.create_bank(current_user, form.code.data, form.title.data)
        if done.ok:
            flash(_("题库已创建"), "success")
            return redirect(url_for("banks.bank", bank_id=bank.id))
    return render_template("banks/index.html", rows=services.bank_list(current_user), form=form,
                           may_create=services.can_create_bank(current_user),
                           may_import=services.can_write(current_user))


# the question list's status filter: `?retired=` as before ("" in use, "1" retired, "all")
STATUS_FILTER = {"": QuestionStatus.ACTIVE, "1": QuestionStatus.RETIRED, "all": None}


def _filters() -> dict:
    args = request.args
    level = Difficulty.get(args.get("difficulty"))
    return {
        "query": args.get("q", "").strip(),
        "category_id": int_or_none(args.get("category")),
        "type": args.get("type", "") if args.get("type", "") in QUESTION_TYPES else "",
        "difficulty": level.value if level else None,
        "tag": args.get("tag", "").strip(),
        "status": STATUS_FILTER.get(args.get("retired", ""), QuestionStatus.ACTIVE),
    }


@bp.route("/banks/<int:bank_id>")
@banks_page()
def bank(bank_id: int):
    bank = services.get_bank(current_user, bank_id)
    page = paginate(services.questions_of(bank, **_filters()), request.args.get("page"))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("banks/bank.html", bank=bank, page=page, args=args, type_choices=type_choices(),
                           levels=list(Difficulty), statuses=STATUS_FILTER, exportable=EXPORTABLE,
                           can_manage=services.can_manage(current_user, bank))


@bp.route("/banks/<int:bank_id>/title", methods=["POST"])
@banks_page(write=True)
def rename(bank_id: int):
    bank = services.get_bank(current_user, bank_id)
    with attempt() as done:
        services.rename_bank(current_user, bank, request.form.get("title", ""))
    if done.ok:
        flash(_("题库名称已保存"), "success")
    return redirect(url_for("banks.bank", bank_id=bank.id))


def _editor_form(bank, question) -> QuestionForm:
    if request.method == "POST" or question is None:
        form = QuestionForm()
    else:
        form = QuestionForm(data={**fields_from_content(services.content_of(question.current)),
                                  "category": question.category.code, "external_id": question.external_id})
    form.category.choices = choices((c.code, f"{c.code} {c.title}") for c in bank.categories)
    return form


@bp.route("/banks/<int:bank_id>/questions/new", methods=["GET", "POST"])
@bp.route("/banks/<int:bank_id>/questions/<int:question_id>", methods=["GET", "POST"])
@banks_page()
def question(bank_id: int, question_id: int | None = None):
    bank = services.get_bank(current_user, bank_id)
    question = services.get_question(current_user, bank, question_id) if question_id else None
    if question is None:
        services.require_manage(current_user, bank)
    form = _editor_form(bank, question)
    # the page posts editor=fields: its option, answer and rubric fields become the notation, unless
    # staff chose to save the text form; a post of the notation alone (a script) is taken as it is
    fields_page, use_text = request.form.get("editor") == "fields", request.form.get("use_text") == "1"
    kind = form.type.data or ""
    if request.method == "POST" and fields_page and not use_text:
        for name, text in text_from_structured(request.form, kind).items():
            getattr(form, name).data = text
    elif request.method == "POST" and fields_page and kind in ("single", "multiple", "truefalse"):
        form.answer.data = request.form.get("answer_text", "")  # the text form's answer of a choice
    if form.validate_on_submit():
        with attempt(form) as done:
            saved = services.save_from_editor(current_user, bank, form.data, question=question)
        if done.ok:
            flash(_("试题已保存（第 %(n)s 版）", n=saved.current_number), "success")
            return redirect(url_for("banks.question", bank_id=bank.id, question_id=saved.id))
    preview = services.trainee_view(question.current, random.Random(0)) if question else None  # noqa: S311 - a reproducible order, not a secret
    return render_template("banks/question.html", bank=bank, question=question, form=form, preview=preview,
                           can_manage=services.can_manage(current_user, bank), use_text=use_text,
                           option_rows=option_rows(form.options.data, form.answer.data),
                           rubric_rows=rubric_rows(form.rubric.data), letters=LETTERS,
                           tf_answer=_tf_choice(form.answer.data))


def _tf_choice(answer_text: str | None) -> str:
    """Which of the two true/false answers the notation names ("" when neither)."""
    value = answer_value("truefalse", answer_text) if answer_text else None
    return "true" if value is True else "false" if value is False else ""


@bp.route("/banks/<int:bank_id>/questions/<int:question_id>/delete", methods=["POST"])
@banks_page(write=True)
def delete_question(bank_id: int, question_id: int):
    bank = services.get_bank(current_user, bank_id)
    question = services.get_question(current_user, bank, question_id)
    if not confirmed():
        services.require_manage(current_user, bank)
        if services.is_used(question):
            lines = [_("试题 %(id)s 已被考试使用，不会被删除，而是停用：已组成的试卷和答卷保持不变，以后组卷不再抽到它。",
                       id=question.external_id)]
            title, button = _("停用试题？"), _("确认停用")
        else:
            lines = [_("试题 %(id)s 及其全部 %(n)s 个版本将被永久删除，不能恢复。", id=question.external_id,
                       n=question.current_number),
                     _("如只是暂时不用，请改为“停用”。")]
            title, button = _("删除试题？"), _("确认删除")
        return confirmation(title, lines, button, url_for("banks.question", bank_id=bank.id, question_id=question.id))
    outcome = services.delete_question(current_user, question)
    if outcome == Removal.DELETED:
        flash(outcome.label, "success")
        return redirect(url_for("banks.bank", bank_id=bank.id))
    flash(outcome.label, "info")
    return redirect(url_for("banks.question", bank_id=bank.id, question_id=question_id))


@bp.route("/banks/<int:bank_id>/questions/<int:question_id>/retired", methods=["POST"])
@banks_page(write=True)
def set_retired(bank_id: int, question_id: int):
    bank = services.get_bank(current_user, bank_id)
    question = services.get_question(current_user, bank, question_id)
    status = QuestionStatus.RETIRED if request.form.get("retired") == "1" else QuestionStatus.ACTIVE
    with attempt() as done:
        services.set_status(current_user, question, status)
    if done.ok:
        flash(_("试题已停用") if status == QuestionStatus.RETIRED else _("试题已恢复使用"), "success")
    return redirect(url_for("banks.question", bank_id=bank.id, question_id=question_id))
