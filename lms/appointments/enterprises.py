"""An enterprise's statistics attributes (industry section, ownership, honours) and the
bureau's correction of its name: bureaus within their region subtree, and admins. Audited
with the values before and after."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select

from lms.appointments import access
from lms.core import audit
from lms.core.errors import ValidationFailed
from lms.core.permissions import one_or_404, require_role
from lms.orgs.attributes import Honour, Industry, Ownership
from lms.orgs.models import Enterprise
from lms.orgs.scope import region_clause


def editable_enterprises(actor, query: str = "", incomplete: bool = False) -> Select:
    """Enterprises whose attributes the actor keeps (admin: all; bureau: its region subtree)."""
    require_role(actor, "admin", "bureau")
    stmt = select(Enterprise).where(region_clause(actor, Enterprise.region_id)).order_by(Enterprise.name)
    if query := (query or "").strip():
        stmt = stmt.where(or_(Enterprise.name.contains(query, autoescape=True),
                              Enterprise.uscc.startswith(query.upper(), autoescape=True)))
    if incomplete:
        stmt = stmt.where(or_(Enterprise.industry_section.is_(None), Enterprise.ownership.is_(None)))
    return stmt


def get_editable_enterprise(actor, enterprise_id: int) -> Enterprise:
    return one_or_404(editable_enterprises(actor).where(Enterprise.id == enterprise_id))


def save_profile(actor, enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    """`name`, `industry_section` (a GB/T 4754 section letter or empty), `ownership` (or empty),
    `honours` (a list of honour values)."""
    access.require_edit_enterprise(actor, enterprise)
    problems: dict[str, Any] = {}
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 128:
        problems["name"] = _l("请填写企业名称（不超过128字）")
    industry = _member(Industry, data.get("industry_section"), "industry_section", problems, _l("请选择国民经济行业门类"))
    ownership = _member(Ownership, data.get("ownership"), "ownership", problems, _l("请选择企业性质"))
    raw_honours = data.get("honours") or []
    honours = {Honour.get(value) for value in raw_honours} if isinstance(raw_honours, (list, tuple, set)) else {None}
    if None in honours:
        problems["honours"] = _l("荣誉称号应从列表中选择")
    if problems:
        raise ValidationFailed(_l("企业信息有误"), problems)
    before = _values(enterprise)
    enterprise.name, enterprise.industry_section, enterprise.ownership = name.strip(), industry, ownership
    enterprise.honours = frozenset(honours)
    after = _values(enterprise)
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changes:
        audit.record(actor, "enterprise.profile", enterprise, changes=changes)
    return enterprise


def _member(enum, value, name: str, problems: dict, problem):
    if value in (None, ""):
        return None
    member = enum.get(value)
    if member is None:
        problems[name] = problem
    return member


def _values(enterprise: Enterprise) -> dict[str, Any]:
    return {"name": enterprise.name,
            "industry_section": enterprise.industry_section.value if enterprise.industry_section else None,
            "ownership": enterprise.ownership.value if enterprise.ownership else None,
            "honours": sorted(h.value for h in enterprise.honours)}
