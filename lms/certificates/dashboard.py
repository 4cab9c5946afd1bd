"""Home-page panel for enterprise HR: its employees' current certificates."""
from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext, ngettext
from sqlalchemy import select

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
    requirement and have no certificate yet (cohorts that ended less than a year ago or later)."""
    from lms.certificates import issuing, services
    from lms.enrollment import services as enrollment
    from lms.enrollment.attendance import enrolled_in
    from lms.enrollment.models import Cohort

    today = local_today()
    cohorts = db.session.scalars(enrollment.visible_cohorts(user).where(
        Cohort.ends_on >= today - timedelta(days=365))).all()
    ready = []
    for cohort in cohorts:
        if not enrollment.can_manage(user, cohort):
            continue
        issued = services.cohort_certificates(cohort.id)
        waiting = [a for a in enrolled_in(cohort.id) if a.id not in issued]
        if waiting and (n := sum(1 for reasons in issuing.unmet_requirements_of(waiting, today).values()
                                 if not reasons)):
            ready.append((cohort, n))
    return ready


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
