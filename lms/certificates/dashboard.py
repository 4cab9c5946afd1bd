"""Home-page panel for enterprise HR: its employees' current certificates."""
from __future__ import annotations

from sqlalchemy import select

from lms.certificates.enums import CertificateStatus
from lms.certificates.models import Certificate
from lms.core.permissions import enterprise_ids
from lms.dashboard import panel
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
