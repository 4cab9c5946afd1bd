"""The integrity log: focus loss, tab switches and pastes reported by the exam page, and
changes of IP or browser noticed by the server (see attempts.save_answer). Exceeding the
exam's tab-switch limit warns the trainee and alerts staff; it never ends the attempt."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select, update

from lms.core import audit
from lms.core.errors import ValidationFailed
from lms.core.permissions import one_or_404
from lms.core.time import utcnow
from lms.exams.models import REPORTED_KINDS, Attempt, AttemptStatus, Exam, IntegrityEvent, IntegrityKind
from lms.extensions import db
from lms.notifications.services import message, notify

TAB_LIMIT_PASSED = message("exams.tab_limit_passed", _l(
    "考试“%(exam)s”：学员 %(name)s 切换页面 %(switches)s 次，超过上限 %(limit)s 次"))


def report_event(actor, attempt_id: int, kind, detail: dict) -> dict:
    kind = IntegrityKind.get(kind)
    if kind not in REPORTED_KINDS:
        raise ValidationFailed(_l("事件类型无效"),
                               {"kind": _l("应为 %(kinds)s 之一", kinds=" / ".join(REPORTED_KINDS))})
    attempt = one_or_404(select(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == actor.id))
    exam = attempt.exam
    limit = exam.max_tab_switches
    clean = {str(k)[:32]: str(v)[:200] for k, v in list(detail.items())[:10]}
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return {"tab_switches": attempt.tab_switches, "max_tab_switches": limit, "warning": None}
    db.session.add(IntegrityEvent(attempt_id=attempt.id, kind=kind, at=utcnow(), detail=clean))
    switches = attempt.tab_switches
    if kind == IntegrityKind.TAB_SWITCH:
        db.session.execute(update(Attempt).where(Attempt.id == attempt.id)
                           .values(tab_switches=Attempt.tab_switches + 1)
                           .execution_options(synchronize_session=False))
        switches = db.session.scalar(select(Attempt.tab_switches).where(Attempt.id == attempt.id))
        if limit is not None and switches == limit + 1:
            _alert_staff(attempt, exam, switches)
    warning = None
    if limit is not None and switches > limit:
        warning = ngettext("您已切换页面 %(num)s 次，超过本考试允许的 %(limit)s 次；此情况已记录并通知监考老师。",
                           "您已切换页面 %(num)s 次，超过本考试允许的 %(limit)s 次；此情况已记录并通知监考老师。",
                           switches, limit=limit)
    return {"tab_switches": switches, "max_tab_switches": limit, "warning": warning}


def _alert_staff(attempt: Attempt, exam: Exam, switches: int) -> None:
    from lms.accounts.models import RoleGrant
    from lms.accounts.roles import Role

    staff_ids = db.session.scalars(select(RoleGrant.user_id).where(
        RoleGrant.role == Role.INSTITUTION, RoleGrant.institution_id == exam.cohort.institution_id)).all()
    for user_id in set(staff_ids):
        notify(user_id, TAB_LIMIT_PASSED, f"/staff/attempts/{attempt.id}", exam=exam.title, name=attempt.user.name,
               switches=switches, limit=exam.max_tab_switches)
    audit.record(None, "attempt.tab_limit", attempt, switches=switches, limit=exam.max_tab_switches)


def events_of(attempt: Attempt) -> list[IntegrityEvent]:
    return list(db.session.scalars(select(IntegrityEvent).where(IntegrityEvent.attempt_id == attempt.id)
                                   .order_by(IntegrityEvent.at, IntegrityEvent.id)))


def event_counts(attempt_ids: list[int]) -> dict[int, int]:
    from sqlalchemy import func

    return dict(db.session.execute(select(IntegrityEvent.attempt_id, func.count()).where(
        IntegrityEvent.attempt_id.in_(attempt_ids or [-1])).group_by(IntegrityEvent.attempt_id)).all())
