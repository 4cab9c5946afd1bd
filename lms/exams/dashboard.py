"""Home-page panels for exams: a trainee's exams, a grader's queue."""
from __future__ import annotations

from lms.core.time import utcnow
from flask import url_for
from flask_babel import gettext, ngettext

from lms.dashboard import TodoItem, panel, todo
from lms.exams import services
from lms.exams.present import my_exam_list


@panel("trainee", "exams/panels/trainee.html", order=5)
def trainee_panel(user) -> dict | None:
    exams = my_exam_list(user, utcnow(), open_only=True)
    return {"exams": exams} if exams else None


def _grading_panel(user) -> dict | None:
    """Essay answers waiting for a score, per exam."""
    pending = services.pending_by_exam(user)
    if not pending and not user.has_role("grader"):
        return None
    return {"pending": pending}


panel("grader", "exams/panels/grading.html", order=10)(_grading_panel)
panel("institution", "exams/panels/grading.html", order=20)(_grading_panel)


@todo("essays", *services.GRADER_ROLES, order=20)
def essays_todo(user) -> TodoItem | None:
    """Essay answers waiting for a score (the grading queue); none for staff who grade nothing."""
    n = sum(count for _exam, count in services.pending_by_exam(user))
    if not n and not user.has_role("grader", "institution"):
        return None
    label = ngettext("道主观题待批阅", "道主观题待批阅", n) if n else gettext("暂无待批阅的主观题")
    return TodoItem("essays", label, n, url_for("exams.grading_queue"))
