"""Home-page panel for enterprise HR: its employees' current certificates."""
from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext, ngettext
from sqlalchemy import exists, select

from lms.certificates.enums import CertificateStatus
from lms.certificates.models import Certificate
from lms.core.permissions import enterprise_ids
from lms.dashboard import TodoItem, panel, todo
from lms.enrollment.cohorts import local_today
from lms.enrollment.models import Application
from lms.extensions import db


@panel("enterprise", "certificates/panels/enterprise.html", order=20)
def enterprise_panel(user) -> dict | None:
    firms = sorted(enterprise_ids(user))
    certificates = db.session.scalars(
        select(Certificate).join(Application, Application.id == Certificate.application_id)
        .where(Application.enterprise_id.in_(firms or [-1]), Certificate.status != CertificateStatus.SUPERSEDED)
        .order_by(Certificate.issued_on.desc())).all()
    if not certificates:
        return None
    today = local_today()
    return {"certificates": [(c, c.status_on(today)) for c in certificates]}


def ready_cohorts(user) -> list[tuple]:
    """(cohort, how many) of the cohorts the user issues for where enrolled trainees meet every
    requirement and have no certificate yet (cohorts that ended less than a year ago or later).
    The requirements are checked for all those trainees at once (one query per kind of fact),
    not cohort by cohort: an admin's home page sees every cohort of the year."""
    from lms.certificates import issuing
    from lms.enrollment import services as enrollment
    from lms.enrollment.enums import ApplicationStatus
    from lms.enrollment.models import Cohort

    today = local_today()
    cohorts = {c.id: c for c in db.session.scalars(enrollment.visible_cohorts(user).where(
        Cohort.ends_on >= today - timedelta(days=365))) if enrollment.can_manage(user, c)}
    if not cohorts:
        return []
    issued = exists().where(Certificate.application_id == Application.id,
                            Certificate.status != CertificateStatus.SUPERSEDED)
    waiting = db.session.scalars(select(Application).where(
        Application.cohort_id.in_(list(cohorts)), Application.status == ApplicationStatus.APPROVED, ~issued)
        .order_by(Application.id)).all()
    cohort_of = {a.id: a.cohort_id for a in waiting}
    ready: dict[int, int] = {}
    for application_id, reasons in (issuing.unmet_requirements_of(list(waiting), today) if waiting else {}).items():
        if not reasons:
            ready[cohort_of[application_id]] = ready.get(cohort_of[application_id], 0) + 1
    return [(cohort, ready[cohort_id]) for cohort_id, cohort in cohorts.items() if ready.get(cohort_id)]


@todo("certificates", "institution", "admin", order=30)
def certificates_todo(user) -> TodoItem | None:
    """Cohorts with trainees ready for their certificate: one links to its page, several to the cohorts."""
    if not user.has_role("institution", "admin"):
        return None
    ready = ready_cohorts(user)
    links = tuple((ngettext("%(cohort)s：%(num)s 人", "%(cohort)s：%(num)s 人", n, cohort=cohort.title),
                   url_for("certificates.cohort", code=cohort.code)) for cohort, n in ready)
    url = links[0][1] if links else url_for("enrollment.staff_cohorts")
    label = (ngettext("个班次有学员可颁发合格证", "个班次有学员可颁发合格证", len(ready)) if ready
             else gettext("暂无可颁发合格证的学员"))
    return TodoItem("certificates", label, len(ready), url, links if len(links) > 1 else ())
