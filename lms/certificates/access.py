"""Who may do what with certificates, named once (services, views, the API and templates ask here).

- issue (one, a batch, a reissue): staff of the cohort's institution, or an admin
  (lms.enrollment.cohorts.can_manage: whoever manages the cohort);
- manage an issued certificate (revoke, reissue, renew): staff of the issuing institution, or an admin;
- read: lms.certificates.services.staff_clause (admin all, institution its own, bureau its region).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.core.errors import Forbidden
from lms.core.permissions import institution_ids, is_admin
from lms.enrollment import cohorts


def can_issue(actor, cohort) -> bool:
    return cohorts.can_manage(actor, cohort)


def require_issue(actor, cohort) -> None:
    if not can_issue(actor, cohort):
        raise Forbidden(_l("只有本班次的承办机构可以颁发合格证"))


def can_manage(actor, certificate) -> bool:
    return actor is not None and (is_admin(actor) or certificate.institution_id in institution_ids(actor, "institution"))


def require_manage(actor, certificate) -> None:
    if not can_manage(actor, certificate):
        raise Forbidden(_l("只有发证机构可以撤销或换发合格证"))
