"""Regions, institutions and enterprises: reading within scope, and admin upkeep."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select

from lms.core import audit
from lms.core.errors import Forbidden, ValidationFailed
from lms.core.ids import normalize_uscc, uscc_problem
from lms.core.pagination import count_rows
from lms.core.permissions import enterprise_ids, institution_ids, is_admin, one_or_404
from lms.extensions import db
from lms.orgs.models import Enterprise, EnterpriseStatus, Institution, Region, RegionLevel
from lms.orgs.scope import region_clause


# ---- permissions ---------------------------------------------------------------------

def can_manage_institutions(actor) -> bool:
    """Institutions and their accreditation are the city/provincial bureau's (admin) to keep."""
    return is_admin(actor)


def can_edit_enterprise(actor, enterprise: Enterprise | None = None) -> bool:
    """Admins edit any enterprise; a bureau adds enterprises and edits those of its region subtree."""
    if is_admin(actor):
        return True
    if actor is None or not actor.has_role("bureau"):
        return False
    return enterprise is None or region_in_scope(actor, enterprise.region_id)


def require_edit_enterprise(actor, enterprise: Enterprise | None = None) -> None:
    if not can_edit_enterprise(actor, enterprise):
        raise Forbidden(_l("您没有执行此操作的权限"))


def region_in_scope(actor, region_id: int) -> bool:
    found = db.session.scalar(select(Region.id).where(Region.id == region_id, region_clause(actor, Region.id)))
    return found is not None


# ---- regions -------------------------------------------------------------------------

def region_by_code(code: str) -> Region | None:
    return db.session.scalar(select(Region).where(Region.code == code))


def add_region(code: str, name: str, level: RegionLevel, parent: Region | None) -> Region:
    region = Region(code=code, name=name, level=level, parent=parent)
    db.session.add(region)
    db.session.flush()
    region.path = f"{parent.path if parent else '/'}{region.id}/"
    return region


def region_roots() -> list[Region]:
    return list(db.session.scalars(select(Region).where(Region.parent_id.is_(None)).order_by(Region.code)))


def all_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.path)))


def counts() -> dict[str, int]:
    """The admin's tiles: regions, institutions and enterprises in the system."""
    return {"regions": count_rows(select(Region.id)), "institutions": count_rows(select(Institution.id)),
            "enterprises": count_rows(select(Enterprise.id))}


# ---- institutions --------------------------------------------------------------------

def visible_institutions(actor) -> Select:
    """Admin: all; institution staff and graders: their own. Others: none."""
    stmt = select(Institution).order_by(Institution.code)
    if is_admin(actor):
        return stmt
    return stmt.where(Institution.id.in_(sorted(institution_ids(actor)) or [-1]))


def get_institution(actor, institution_id: int) -> Institution:
    return one_or_404(visible_institutions(actor).where(Institution.id == institution_id))


def institutions_of(actor, role: str) -> list[Institution]:
    """The institutions the actor works for in `role` (institution staff or grader)."""
    ids = sorted(institution_ids(actor, role))
    stmt = select(Institution).where(Institution.id.in_(ids or [-1])).order_by(Institution.code)
    return list(db.session.scalars(stmt))


REQUIRED_INSTITUTION_FIELDS = {"code": _l("请填写机构代码"), "name": _l("请填写机构名称"),
                               "accreditation_no": _l("请填写资质证书编号")}


def _institution_problems(data: dict, existing: Institution | None) -> dict:
    problems = {field: problem for field, problem in REQUIRED_INSTITUTION_FIELDS.items()
                if not (data.get(field) or "").strip()}
    if problem := uscc_problem(data.get("uscc", "")):
        problems["uscc"] = problem
    start, end = data.get("accredited_from"), data.get("accredited_until")
    if not isinstance(start, date):
        problems["accredited_from"] = _l("请填写资质有效期起始日期")
    if not isinstance(end, date):
        problems["accredited_until"] = _l("请填写资质有效期截止日期")
    elif isinstance(start, date) and end < start:
        problems["accredited_until"] = _l("资质有效期截止日期不能早于起始日期")
    if data.get("region") is None:
        problems["region"] = _l("请选择所在行政区划")
    for field, column, problem in (("code", Institution.code, _l("该机构代码已被其他机构使用")),
                                   ("uscc", Institution.uscc, _l("该统一社会信用代码已被其他机构使用"))):
        clash = db.session.scalar(select(Institution).where(column == data.get(field)))
        if clash is not None and clash is not existing:
            problems.setdefault(field, problem)
    return problems


def save_institution(actor, data: dict, institution: Institution | None = None) -> Institution:
    """Create or update an institution and its accreditation (admin only)."""
    if not can_manage_institutions(actor):
        raise Forbidden(_l("您没有执行此操作的权限"))
    data = {**data, "uscc": normalize_uscc(data.get("uscc", "")), "code": (data.get("code") or "").strip()}
    if problems := _institution_problems(data, institution):
        raise ValidationFailed(_l("承办机构信息有误"), problems)
    created = institution is None
    institution = institution or Institution()
    institution.code = data["code"]
    institution.name = data["name"].strip()
    institution.uscc = data["uscc"]
    institution.region = data["region"]
    institution.accreditation_no = data["accreditation_no"].strip()
    institution.accreditation_scope = (data.get("accreditation_scope") or "").strip()
    institution.accredited_from = data["accredited_from"]
    institution.accredited_until = data["accredited_until"]
    db.session.add(institution)
    audit.record(actor, "institution.create" if created else "institution.update", institution)
    return institution


# ---- enterprises ---------------------------------------------------------------------

def visible_enterprises(actor, query: str = "") -> Select:
    """Admin: all; bureau: its region subtree; enterprise HR: its own enterprise."""
    stmt = select(Enterprise).order_by(Enterprise.name)
    own = enterprise_ids(actor)
    stmt = stmt.where(or_(region_clause(actor, Enterprise.region_id), Enterprise.id.in_(sorted(own) or [-1])))
    if query:
        like = f"%{query.strip()}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(like), Enterprise.uscc.ilike(like)))
    return stmt


def get_enterprise(actor, enterprise_id: int) -> Enterprise:
    return one_or_404(visible_enterprises(actor).where(Enterprise.id == enterprise_id))


def enterprise_by_uscc(uscc: str) -> Enterprise | None:
    return db.session.scalar(select(Enterprise).where(Enterprise.uscc == normalize_uscc(uscc)))


def save_enterprise(actor, data: dict, enterprise: Enterprise | None = None) -> Enterprise:
    """Create or update an enterprise. Admin anywhere; a bureau within its region subtree."""
    require_edit_enterprise(actor, enterprise)
    uscc = normalize_uscc(data.get("uscc", ""))
    problems = {}
    if problem := uscc_problem(uscc):
        problems["uscc"] = problem
    else:
        clash = enterprise_by_uscc(uscc)
        if clash is not None and clash is not enterprise:
            problems["uscc"] = _l("该统一社会信用代码的企业已存在")
    if not (data.get("name") or "").strip():
        problems["name"] = _l("请填写企业名称")
    region = data.get("region")
    if region is None:
        problems["region"] = _l("请选择所在行政区划")
    elif not region_in_scope(actor, region.id):
        problems["region"] = _l("只能选择本辖区内的行政区划")
    if problems:
        raise ValidationFailed(_l("企业信息有误"), problems)
    created = enterprise is None
    enterprise = enterprise or Enterprise()
    enterprise.uscc = uscc
    enterprise.name = data["name"].strip()
    enterprise.region = region
    enterprise.industry = (data.get("industry") or "").strip()
    enterprise.status = EnterpriseStatus.get(data.get("status"), EnterpriseStatus.VERIFIED)
    db.session.add(enterprise)
    audit.record(actor, "enterprise.create" if created else "enterprise.update", enterprise)
    return enterprise


def regions_in_scope(actor) -> Select:
    return select(Region).where(region_clause(actor, Region.id)).order_by(Region.path)
