"""Searching the talent pool (bureaus and admins, in scope), the full record of one person
(each view audited) and the shortlist exported to Excel.

Filters are a registry: each is a query parameter with a label, its choices and a function
turning a value into a WHERE clause over TalentEntry (joined with its Enterprise). Another
domain adds one from its init_app, e.g. continuing education:

    @pool_filter("ce", _l("继续教育"), choices=lambda actor: CeStanding.choices())
    def _ce(value): return TalentEntry.user_id.in_(users_whose_ce_year_is(value))
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import ColumnElement, Select, and_, select

from lms.appointments.models import Appointment, AppointmentStatus, Post
from lms.certificates.enums import CertificateStatus
from lms.certificates.models import Certificate
from lms.core import audit
from lms.core.enums import EnumSet
from lms.core.errors import ValidationFailed
from lms.core.forms import options
from lms.core.masking import mask_id_number, mask_phone
from lms.core.pagination import Page, paginate
from lms.core.permissions import one_or_404
from lms.core.xlsx import append_rows
from lms.enrollment.cohorts import local_today
from lms.extensions import db
from lms.orgs.attributes import Honour, Industry, Ownership
from lms.orgs.models import Enterprise, Region
from lms.orgs.scope import region_subtree_ids
from lms.orgs.services import regions_in_scope
from lms.talent import access, form
from lms.talent.models import Filing, TalentEntry

PER_PAGE = 25
SHORTLIST_MAX = 500


@dataclass(frozen=True)
class PoolFilter:
    name: str
    label: Any
    clause: Callable[[str], ColumnElement[bool] | None]  # None: the value is not one it understands
    choices: Callable[[Any], list] | None = None  # the actor -> its choices; None: free text


POOL_FILTERS: dict[str, PoolFilter] = {}


def pool_filter(name: str, label, choices: Callable[[Any], list] | None = None):
    def register(clause):
        POOL_FILTERS[name] = PoolFilter(name, label, clause, choices)
        return clause

    return register


@pool_filter("region", _l("地区"), choices=lambda actor: options(
    (r.code, r.full_name) for r in db.session.scalars(regions_in_scope(actor))))
def _region(value: str):
    region = db.session.scalar(select(Region).where(Region.code == value))
    return None if region is None else Enterprise.region_id.in_(region_subtree_ids(region.id))


@pool_filter("post", _l("岗位"), choices=lambda actor: options(
    (p.code, p.title) for p in db.session.scalars(select(Post).order_by(Post.region_id, Post.rank))))
def _post(value: str):
    post_id = db.session.scalar(select(Post.id).where(Post.code == value))
    return None if post_id is None else TalentEntry.post_id == post_id


@pool_filter("industry", _l("行业"), choices=lambda actor: Industry.choices())
def _industry(value: str):
    member = Industry.get(value)
    return None if member is None else Enterprise.industry_section == member


@pool_filter("ownership", _l("企业性质"), choices=lambda actor: Ownership.choices())
def _ownership(value: str):
    member = Ownership.get(value)
    return None if member is None else Enterprise.ownership == member


@pool_filter("honour", _l("企业荣誉"), choices=lambda actor: Honour.choices())
def _honour(value: str):
    member = Honour.get(value)
    return None if member is None else EnumSet.holds(Enterprise.honours, member)


CERTIFICATE_STANDING = {"valid": _l("持有效合格证"), "lapsed": _l("合格证已失效")}


@pool_filter("certificate", _l("合格证"), choices=lambda actor: options(CERTIFICATE_STANDING.items()))
def _certificate(value: str):
    valid = select(Certificate.user_id).where(Certificate.status == CertificateStatus.VALID, Certificate.valid_until >= local_today())
    if value == "valid":
        return TalentEntry.user_id.in_(valid)
    return TalentEntry.user_id.not_in(valid) if value == "lapsed" else None


IN_POST = {"active": _l("在聘"), "ended": _l("已解聘")}


@pool_filter("appointment", _l("聘任状态"), choices=lambda actor: options(IN_POST.items()))
def _appointment(value: str):
    status = AppointmentStatus.get(value)
    if status is None:
        return None
    return TalentEntry.filing_id.in_(select(Filing.id).join(Appointment, Appointment.id == Filing.appointment_id)
                                     .where(Appointment.status == status))


@pool_filter("q", _l("业绩关键词"))
def _keywords(value: str):
    """Every word (up to five) appears in the achievements."""
    return and_(*(TalentEntry.achievements_text.contains(word, autoescape=True) for word in value.split()[:5]))


def search(actor, params: dict[str, str]) -> Select:
    """Entries in scope matching every filter given (empty values are ignored); a value a
    filter does not understand is refused (422 naming the parameter)."""
    stmt = access.visible_entries(actor)
    problems = {}
    for name, pool_filter_ in POOL_FILTERS.items():
        value = (params.get(name) or "").strip()
        if not value:
            continue
        clause = pool_filter_.clause(value) if len(value) <= 100 else None
        if clause is None:
            problems[name] = _l("无法识别的筛选条件")
        else:
            stmt = stmt.where(clause)
    if problems:
        raise ValidationFailed(_l("筛选条件有误"), problems)
    return stmt.order_by(TalentEntry.accepted_on.desc(), TalentEntry.id.desc())


def search_page(actor, params: dict[str, str], page: Any = 1) -> Page:
    return paginate(search(actor, params), page, PER_PAGE)


def entry_row(entry: TalentEntry) -> dict[str, Any]:
    """What a list shows: enough to choose, no more (ID number and phone masked)."""
    values = entry.filing.form
    return {"id": entry.id, "filing_no": entry.filing.filing_no, "name": values.get("name", ""),
            "gender": values.get("gender", ""), "id_number": mask_id_number(values.get("id_number", "")),
            "phone": mask_phone(values.get("phone", "")), "title_name": values.get("title_name", ""),
            "enterprise": entry.enterprise.name, "region": entry.enterprise.region.full_name,
            "post_code": entry.post.code, "post_title": entry.post.title,
            "industry": entry.enterprise.industry_section.value if entry.enterprise.industry_section else None,
            "accepted_on": entry.accepted_on.isoformat(), "in_post": entry.filing.appointment.active}


def get_record(actor, entry_id: int) -> TalentEntry:
    """One person's full record (ID number, phone, history): each view is audited."""
    entry = one_or_404(access.visible_entries(actor).where(TalentEntry.id == entry_id))
    audit.record(actor, "talent.view", entry, person=entry.user_id)
    return entry


SHORTLIST_HEADINGS = ("序号", "姓名", "性别", "出生年月", "职称", "工作单位", "所在地区", "所属行业", "聘任岗位",
                      "合格证编号", "手机号码", "电子邮箱", "标准化工作业绩", "备案编号")


def shortlist_workbook(actor, entry_ids: list[int]) -> bytes:
    """The chosen entries (in scope) as a workbook, e.g. for an expert recommendation; audited,
    as it carries contact details."""
    ids = sorted({i for i in entry_ids if isinstance(i, int)})[:SHORTLIST_MAX]
    entries = list(db.session.scalars(access.visible_entries(actor).where(TalentEntry.id.in_(ids or [-1]))
                                      .order_by(TalentEntry.id)))
    if not entries:
        raise ValidationFailed(_l("请至少选择一人"), {"entry": _l("请至少选择一人")})
    book = Workbook()
    sheet = book.active
    sheet.title = "推荐名单"
    with force_locale("zh_CN"):
        rows = [[n, v.get("name", ""), form.shown(v, "gender"), v.get("birth_date", "")[:7],
                 v.get("title_name", ""), e.enterprise.name, e.enterprise.region.full_name,
                 e.enterprise.industry_section.label if e.enterprise.industry_section else "", e.post.title,
                 v.get("cert_no", ""), v.get("phone", ""), v.get("email", ""),
                 e.achievements_text.replace("\n", "；"), e.filing.filing_no]
                for n, (e, v) in enumerate(((e, e.filing.form) for e in entries), 1)]
    append_rows(sheet, [SHORTLIST_HEADINGS, *rows])
    for column, width in zip("ABCDEFGHIJKLMN", (6, 10, 6, 10, 14, 30, 18, 22, 14, 26, 14, 24, 50, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    audit.record(actor, "talent.shortlist_export", None, entries=[e.id for e in entries])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
