"""Web pages for institution staff: banks, questions, the editor (import pages: import_views)."""
from __future__ import annotations

import random
from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.banks import bp, services
from lms.banks.editing import content_from_fields, fields_from_content
from lms.banks.forms import TYPE_CHOICES, BankForm, QuestionForm, choices
from lms.banks.types import QUESTION_TYPES
from lms.core.errors import NotFound, ValidationFailed
from lms.core.forms import apply_errors
from lms.core.pagination import paginate
from lms.extensions import db

STAFF = ("admin", "institution", "grader")


def banks_role(*roles: str):
    """Logged-in users holding one of `roles`; anyone else is told the page does not exist (404)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                raise NotFound("页面不存在")
            return view(*args, **kwargs)

        return wrapped

    return decorator


@bp.record_once
def _template_helpers(state) -> None:
    from lms.banks import rendering

    rendering.init_app(state.app)


@bp.route("/banks", methods=["GET", "POST"])
@banks_role(*STAFF)
def index():
    form = BankForm()
    may_create = current_user.has_role("admin") or bool(services.managed_institution_ids(current_user))
    if request.method == "POST":
        if not may_create:
            abort(403)
        if form.validate_on_submit():
            try:
                bank = services.create_bank(current_user, form.code.data, form.title.data)
            except ValidationFailed as error:
                apply_errors(form, error)
            else:
                db.session.commit()
                flash(_("题库已创建"), "success")
                return redirect(url_for("banks.bank", bank_id=bank.id))
    banks = db.session.scalars(services.visible_banks(current_user)).all()
    counts = services.question_counts([b.id for b in banks])
    return render_template("banks/index.html", banks=banks, counts=counts, form=form, may_create=may_create,
                           can_manage={b.id: services.can_manage(current_user, b) for b in banks})


def _filters() -> dict:
    args = request.args
    retired = args.get("retired", "")
    difficulty = args.get("difficulty", "")
    category = args.get("category", "")
    return {
        "query": args.get("q", "").strip(),
        "category_id": int(category) if category.isdigit() else None,
        "type": args.get("type", "") if args.get("type", "") in QUESTION_TYPES else "",
        "difficulty": int(difficulty) if difficulty in {"1", "2", "3", "4", "5"} else None,
        "tag": args.get("tag", "").strip(),
        "retired": {"": False, "1": True, "all": None}.get(retired, False),
    }


@bp.route("/banks/<int:bank_id>")
@banks_role(*STAFF)
def bank(bank_id: int):
    bank = services.get_bank(current_user, bank_id)
    filters = _filters()
    page = paginate(services.questions_of(bank, **filters), request.args.get("page"))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("banks/bank.html", bank=bank, page=page, args=args, type_choices=TYPE_CHOICES,
                           can_manage=services.can_manage(current_user, bank))


@bp.route("/banks/<int:bank_id>/title", methods=["POST"])
@banks_role("admin", "institution")
def rename(bank_id: int):
    bank = services.get_bank(current_user, bank_id)
    form = BankForm(data={"code": bank.code, "title": request.form.get("title", "")})
    if form.validate_on_submit():
        services.rename_bank(current_user, bank, form.title.data)
        db.session.commit()
        flash(_("题库名称已保存"), "success")
    else:
        flash(_("请填写题库名称（不超过 200 字）"), "error")
    return redirect(url_for("banks.bank", bank_id=bank.id))


def _editor_form(bank, question):
    if request.method == "POST":
        form = QuestionForm()
    elif question is not None:
        form = QuestionForm(data={**fields_from_content(services.content_of(question.current)),
                                  "category": question.category.code, "external_id": question.external_id})
    else:
        form = QuestionForm()
    form.category.choices = choices((c.code, f"{c.code} {c.title}") for c in bank.categories)
    return form


@bp.route("/banks/<int:bank_id>/questions/new", methods=["GET", "POST"])
@bp.route("/banks/<int:bank_id>/questions/<int:question_id>", methods=["GET", "POST"])
@banks_role(*STAFF)
def question(bank_id: int, question_id: int | None = None):
    bank = services.get_bank(current_user, bank_id)
    question = services.get_question(current_user, bank, question_id) if question_id else None
    can_manage = services.can_manage(current_user, bank)
    if question is None and not can_manage:
        abort(403)
    form = _editor_form(bank, question)
    if request.method == "POST" and form.validate_on_submit():
        services.require_manage(current_user, bank)
        content, problems = content_from_fields(form.data)
        try:
            if problems:
                raise ValidationFailed("试题格式有误", problems)
            saved = services.save_question(current_user, bank, content, category_code=form.category.data,
                                           question=question, external_id=form.external_id.data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("试题已保存（第 %(n)s 版）", n=saved.current_number), "success")
            return redirect(url_for("banks.question", bank_id=bank.id, question_id=saved.id))
    preview = services.trainee_view(question.current, random.Random(0)) if question else None
    return render_template("banks/question.html", bank=bank, question=question, form=form, can_manage=can_manage,
                           preview=preview)


@bp.route("/banks/<int:bank_id>/questions/<int:question_id>/delete", methods=["POST"])
@banks_role("admin", "institution")
def delete_question(bank_id: int, question_id: int):
    bank = services.get_bank(current_user, bank_id)
    question = services.get_question(current_user, bank, question_id)
    outcome = services.delete_question(current_user, question)
    db.session.commit()
    if outcome == "retired":
        flash(_("该题已被使用，已停用（保留全部版本）"), "info")
        return redirect(url_for("banks.question", bank_id=bank.id, question_id=question_id))
    flash(_("试题已删除"), "success")
    return redirect(url_for("banks.bank", bank_id=bank.id))


@bp.route("/banks/<int:bank_id>/questions/<int:question_id>/retired", methods=["POST"])
@banks_role("admin", "institution")
def set_retired(bank_id: int, question_id: int):
    bank = services.get_bank(current_user, bank_id)
    question = services.get_question(current_user, bank, question_id)
    retired = request.form.get("retired") == "1"
    services.set_retired(current_user, question, retired)
    db.session.commit()
    flash(_("试题已停用") if retired else _("试题已恢复使用"), "success")
    return redirect(url_for("banks.question", bank_id=bank.id, question_id=question_id))
