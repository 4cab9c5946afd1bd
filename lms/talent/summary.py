"""The 汇总表 (Liaoning 附件2): one workbook per filing bureau, the accepted filings of the
enterprises in its region, with a header (filing unit, contact, date), one row per filing
and the totals per post. Chinese headings, set widths, the header frozen, A4 landscape.

The same function serves the page, the API and `flask lms report filings` (actor None: the
command line, which has no scope to check).
"""
from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from sqlalchemy import extract, select

from lms.appointments.access import region_chain, region_in_scope
from lms.appointments.models import Post
from lms.core.errors import NotFound, ValidationFailed
from lms.core.xlsx import append_rows
from lms.enrollment.cohorts import local_today
from lms.extensions import db
from lms.orgs.attributes import Industry
from lms.orgs.models import Enterprise, Region
from lms.orgs.scope import region_subtree_ids
from lms.orgs.services import regions_in_scope
from lms.talent import access, form
from lms.talent.models import TalentEntry

COLUMNS = (("序号", 6), ("所在市", 10), ("姓名", 9), ("性别", 6), ("出生年月", 10), ("学历", 11), ("职称", 13),
           ("工作单位", 30), ("统一社会信用代码", 21), ("所属行业", 20), ("聘任岗位", 12), ("专职/兼职", 9),
           ("聘任时间", 11), ("合格证编号", 24), ("联系电话", 13), ("备注", 18))
HEADER_ROWS = 3  # title, filing unit line, column headings


@dataclass(frozen=True)
class Contact:
    name: str = ""
    phone: str = ""


def summary_regions(actor) -> list[Region]:
    """The regions the actor may draw a summary table for: its region subtree (admin: all)."""
    return list(db.session.scalars(regions_in_scope(actor)))


def parse_year(value) -> int | None:
    """A year from a query string: None when absent, refused (422) when not a year."""
    text = (value or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise ValidationFailed(_l("年份有误"), {"year": _l("年份应为四位数字，例如 2026")})
    return int(text)


def summary_entries(actor, region_code: str, year: int | None) -> tuple[Region, list[TalentEntry]]:
    """The region (in the actor's scope, else not found) and its accepted filings, oldest first."""
    if actor is not None:
        access.require_pool(actor)
    region = db.session.scalar(select(Region).where(Region.code == (region_code or "").strip()))
    if region is None or (actor is not None and not region_in_scope(actor, region.id)):
        raise NotFound(_l("未找到该地区，或不在您的管辖范围内"))
    stmt = select(TalentEntry).join(Enterprise, Enterprise.id == TalentEntry.enterprise_id).where(
        Enterprise.region_id.in_(region_subtree_ids(region.id)))
    if year is not None:
        stmt = stmt.where(extract("year", TalentEntry.accepted_on) == year)
    return region, list(db.session.scalars(stmt.order_by(TalentEntry.accepted_on, TalentEntry.id)))


def summary_workbook(actor, region_code: str, year: int | None = None, contact: Contact | None = None,
                     day: date | None = None) -> tuple[str, bytes]:
    """(file name, workbook bytes). The contact defaults to the actor (name and phone)."""
    region, entries = summary_entries(actor, region_code, year)
    if contact is None:
        contact = Contact(actor.name, actor.phone or "") if actor is not None else Contact()
    day = day or local_today()
    with force_locale("zh_CN"):  # the form is Chinese whoever downloads it
        data = render_summary(region, entries, contact, day)
    return f"汇总表-{region.name}-{year or day.isoformat()}.xlsx", data


def _row(n: int, entry: TalentEntry, units: dict[int, str]) -> list[Any]:
    v = entry.filing.form
    industry = Industry.get(v.get("industry"))
    return [n, units[entry.enterprise.region_id], v.get("name", ""), form.shown(v, "gender"),
            (v.get("birth_date") or "")[:7], form.shown(v, "education"),
            v.get("title_name") or form.shown(v, "title_level"), v.get("enterprise_name", ""),
            v.get("enterprise_uscc", ""), industry.label if industry else "", v.get("post_title", ""),
            str(form.FULL_TIME[bool(v.get("full_time"))]), v.get("appointed_on", ""), v.get("cert_no", ""),
            v.get("phone", ""), v.get("remarks", "")]


def render_summary(region: Region, entries: list[TalentEntry], contact: Contact, day: date) -> bytes:
    units = {e.enterprise.region_id: access.filing_unit(e.enterprise.region).name for e in entries}
    posts = sorted({e.post for e in entries} or db.session.scalars(
        select(Post).where(Post.region_id.in_(region_chain(region)))), key=lambda p: (p.rank, p.code))
    book = Workbook()
    sheet = book.active
    sheet.title = "汇总表"
    width = len(COLUMNS)
    last = get_column_letter(width)
    append_rows(sheet, [
        [form.form_title([p.title for p in posts], "信息汇总表")],
        [f"填报单位（盖章）：{region.name}市场监督管理局", None, None, None, None, None, None,
         f"联系人：{contact.name}", None, f"联系电话：{contact.phone}", None, None, None,
         f"填报日期：{day.year}年{day.month}月{day.day}日"],
        [heading for heading, _w in COLUMNS],
    ])
    append_rows(sheet, (_row(n, entry, units) for n, entry in enumerate(entries, 1)))
    counts = Counter(e.post_id for e in entries)
    append_rows(sheet, [[], ["合计", None, "按聘任岗位"]])
    totals_start = sheet.max_row
    append_rows(sheet, [[None, None, post.title, counts[post.id]] for post in posts])
    append_rows(sheet, [[None, None, "总计", len(entries)]])
    _layout(sheet, width, last, len(entries), totals_start)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _layout(sheet, width: int, last: str, rows: int, totals_start: int) -> None:
    thin = Side(style="thin", color="000000")
    sheet.merge_cells(f"A1:{last}1")
    for cells in ("A2:G2", "H2:I2", "J2:M2", f"N2:{last}2"):
        sheet.merge_cells(cells)
    sheet["A1"].font = Font(name="SimSun", size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    for index, (_heading, column_width) in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column_width
        heading = sheet[f"{letter}3"]
        heading.font = Font(bold=True)
        heading.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in range(3, HEADER_ROWS + rows + 1):
            sheet[f"{letter}{row}"].border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in range(HEADER_ROWS + 1, HEADER_ROWS + rows + 1):
        for letter in ("H", "J", "P"):
            sheet[f"{letter}{row}"].alignment = Alignment(wrap_text=True, vertical="center")
    sheet.cell(row=totals_start, column=1).font = Font(bold=True)
    sheet.freeze_panes = f"A{HEADER_ROWS + 1}"
    sheet.print_title_rows = f"1:{HEADER_ROWS}"
    setup = sheet.page_setup
    setup.orientation, setup.paperSize = "landscape", sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
