"""Online course pages: the catalogue, a course with its lessons, the player, the lesson file
(served with range requests), the final quiz; for staff the course form and lesson uploads."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.ce import access, bp, courses, learning, quiz
from lms.ce.forms import CourseForm, LessonForm
from lms.ce.enums import LessonKind
from lms.extensions import db
from lms.web import attempt, role_required


@bp.route("/ce/courses")
@login_required
def course_list():
    published = db.session.scalars(courses.published_courses()).all()
    managed = db.session.scalars(courses.managed_courses(current_user).limit(200)).all() \
        if access.is_organizer(current_user) else []
    progress = {c.id: learning.course_progress(current_user.id, c) for c in published} \
        if access.is_person(current_user) else {}
    return render_template("ce/courses.html", published=published, managed=managed, progress=progress,
                           organizer=access.is_organizer(current_user))


def _course_form(course=None) -> CourseForm:
    form = CourseForm(obj=course)
    form.organizer.choices = [(o.key, o.name) for o in access.organizers(current_user)]
    form.quiz_bank.choices = [("", _("不设结业测验"))] + [(b.code, b.title) for b in courses.quiz_banks(current_user)]
    if course is not None and request.method == "GET":
        form.hours.data, form.quiz_count.data = f"{course.hours:g}", str(course.quiz_count)
        form.quiz_pass_mark.data = str(course.quiz_pass_mark)
        form.quiz_bank.data = next((b.code for b in courses.quiz_banks(current_user) if b.id == course.quiz_bank_id), "")
    return form


@bp.route("/ce/courses/new", methods=["GET", "POST"])
@bp.route("/ce/courses/<int:course_id>/edit", methods=["GET", "POST"])
@role_required(*access.STAFF_ROLES)
def course_form(course_id: int | None = None):
    course = courses.get_course(current_user, course_id) if course_id else None
    if course is not None:
        access.require_organize(current_user, course)
    form = _course_form(course)
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in ("title", "category", "hours", "description", "organizer",
                                                            "quiz_bank", "quiz_count", "quiz_pass_mark")}
        data["published"] = request.form.get("published") == "1"
        with attempt(form) as done:
            saved = courses.save_course(current_user, data, course)
        if done.ok:
            flash(_("课程已保存"), "success")
            return redirect(url_for("ce.course_manage", course_id=saved.id))
    return render_template("ce/course_form.html", form=form, course=course)


@bp.route("/ce/courses/<int:course_id>/manage")
@role_required(*access.STAFF_ROLES)
def course_manage(course_id: int):
    course = courses.get_course(current_user, course_id)
    access.require_organize(current_user, course)
    return render_template("ce/course_manage.html", course=course, form=LessonForm())


@bp.route("/ce/courses/<int:course_id>")
@login_required
def course(course_id: int):
    item = courses.get_course(current_user, course_id)
    return render_template("ce/course.html", course=item, organizes=access.can_organize(current_user, item),
                           person=access.is_person(current_user),
                           lesson_progress=courses.progress_of(current_user.id, [lesson.id for lesson in item.lessons]),
                           progress=learning.course_progress(current_user.id, item))


@bp.route("/ce/lessons/<int:lesson_id>")
@role_required("trainee")
def lesson(lesson_id: int):
    item = courses.get_lesson(current_user, lesson_id)
    done = learning.completed_lessons(current_user.id, item.course)
    waiting = [other for other in learning.lessons_before(item) if other.id not in done]
    following = [other for other in item.course.lessons if (other.position, other.id) > (item.position, item.id)]
    return render_template("ce/lesson.html", lesson=item, course=item.course, waiting=waiting,
                           next_lesson=following[0] if following else None, video=item.kind == LessonKind.VIDEO)


@bp.route("/ce/lessons/<int:lesson_id>/media")
@login_required
def lesson_media(lesson_id: int):
    item = courses.get_lesson(current_user, lesson_id)
    response = send_file(courses.lesson_file(item), mimetype=item.content_type, conditional=True)
    # the lesson page embeds its PDF; nothing else may frame it
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.route("/ce/courses/<int:course_id>/quiz", methods=["GET", "POST"])
@role_required("trainee")
def course_quiz(course_id: int):
    item = courses.get_course(current_user, course_id)
    with attempt() as done:
        sitting = quiz.start(current_user, item)
    if not done.ok:
        return redirect(url_for("ce.course", course_id=item.id))
    shown = quiz.questions(sitting)
    if request.method == "POST":
        responses = {}
        for question in shown:
            name = f"q{question['id']}"
            if question["type"] == "multiple":
                responses[str(question["id"])] = request.form.getlist(name)
            elif question["type"] == "truefalse":
                value = request.form.get(name)
                responses[str(question["id"])] = {"true": True, "false": False}.get(value)
            else:
                responses[str(question["id"])] = request.form.get(name)
        graded = quiz.submit(current_user, sitting, responses)
        if graded.passed:
            flash(_("测验通过（%(score)s / %(total)s）", score=f"{graded.score:g}", total=f"{graded.max_score:g}"), "success")
        else:
            flash(_("测验未通过（%(score)s / %(total)s），可以重新参加", score=f"{graded.score:g}",
                    total=f"{graded.max_score:g}"), "warning")
        return redirect(url_for("ce.course", course_id=item.id))
    return render_template("ce/quiz.html", course=item, questions=shown)
