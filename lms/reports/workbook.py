"""The yearly statistics workbook (年度统计表): a headline sheet with the definitions, then one
sheet per child region, per post, per industry and ownership, per month. Chinese headings
whoever downloads it, A4 landscape, fitted to the page width. Figures from services (the same
numbers as the page and GET /api/v1/reports/summary)."""
from __future__ import annotations

import io
from typing import Any

from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from lms.core.xlsx import append_rows
from lms.orgs.models import Region
from lms.reports import services
from lms.reports.metrics import METRICS

SHEETS = ("概况", "分地区", "分岗位", "分行业", "分月")


def summary_workbook(region: Region | None, year: int) -> tuple[str, bytes]:
    """(file name, xlsx bytes) of `region`'s workbook for `year`."""
    with force_locale("zh_CN"):
        data = render(region, year)
    code = region.code if region else "all"
    return f"statistics-{code}-{year}.xlsx", data


def _heads(keys) -> list[str]:
    return [f"{METRICS[k].label}（{METRICS[k].unit}）" for k in keys]


def render(region: Region | None, year: int) -> bytes:
    summary = services.summary_of(region, year)
    name = services.region_label(region)
    first, last = summary["first_day"], summary["last_day"]
    title = f"{name}{year}年企业标准化人才统计表"
    book = Workbook()

    sheet = book.active
    sheet.title = SHEETS[0]
    append_rows(sheet, [[title], [f"统计期间：{first} 至 {last}", None, f"生成日期：{services.today().isoformat()}"],
                        ["指标", "数值", "口径说明"]])
    append_rows(sheet, [[f"{METRICS[k].label}（{METRICS[k].unit}）", summary["metrics"][k], str(METRICS[k].definition)]
                        for k in services.YEAR_METRICS])
    append_rows(sheet, [[f"累计培育人数（截至{last}）", summary["totals"]["certified_people"],
                         "截至统计期末的累计数（口径同上）"],
                        [f"累计入库人数（截至{last}）", summary["totals"]["filed_people"], "截至统计期末的累计数（口径同上）"]])
    append_rows(sheet, [[], ["说明：报名、录取、培训人次为年内发生数（人次）；累计培育、入库人数为年内新增人数（人）；"
                             "在聘人数为期末在聘人数；继续教育达标人数为当年达标人数。人数按人员所在企业的地区统计，"
                             "培训人次按组织方（班次、活动、课程）所在地区统计。"]])
    _layout(sheet, [34, 12, 90], 3, sheet.max_row - 2, wrap=(3,))
    sheet.merge_cells(f"A{sheet.max_row}:C{sheet.max_row}")
    sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[sheet.max_row].height = 48

    keys = services.YEAR_METRICS
    sheet = book.create_sheet(SHEETS[1])
    append_rows(sheet, [[f"{title}（分地区）"], [f"统计期间：{first} 至 {last}"], ["地区代码", "地区", *_heads(keys)]])
    append_rows(sheet, [[r["code"], r["name"], *[r["metrics"][k] for k in keys]] for r in summary["by_region"]])
    append_rows(sheet, [[None, f"{name}合计（一人只计一次）", *[summary["metrics"][k] for k in keys]]])
    _layout(sheet, [12, 18, *[12] * len(keys)], 3, len(summary["by_region"]) + 1)

    sheet = book.create_sheet(SHEETS[2])
    post_rows = services.breakdown(region, year, "post")
    keys = services.POST_METRICS
    append_rows(sheet, [[f"{title}（分岗位）"], [f"截至 {last}"], ["岗位代码", "岗位", *_heads(keys)]])
    append_rows(sheet, [[code, str(label), *[values[k] for k in keys]] for code, label, values in post_rows])
    _layout(sheet, [16, 20, *[14] * len(keys)], 3, len(post_rows))

    sheet = book.create_sheet(SHEETS[3])
    keys = services.PEOPLE_METRICS
    industry = services.breakdown(region, year, "industry")
    ownership = services.breakdown(region, year, "ownership")
    append_rows(sheet, [[f"{title}（分行业、所有制）"], [f"截至 {last}"], ["分类", "行业 / 所有制", *_heads(keys)]])
    append_rows(sheet, [["行业", str(label), *[values[k] for k in keys]] for _c, label, values in industry])
    append_rows(sheet, [["所有制", str(label), *[values[k] for k in keys]] for _c, label, values in ownership])
    _layout(sheet, [10, 40, *[14] * len(keys)], 3, len(industry) + len(ownership))

    sheet = book.create_sheet(SHEETS[4])
    keys = services.YEAR_METRICS
    months = services.by_month(region, year)
    append_rows(sheet, [[f"{title}（分月）"], ["人次为当月发生数，人数为当月新增；在聘为月末人数；继续教育达标为截至月末"],
                        ["月份", *_heads(keys)]])
    append_rows(sheet, [[f"{year}年{month}月", *[values[k] for k in keys]] for month, values in months])
    _layout(sheet, [12, *[12] * len(keys)], 3, len(months))

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _layout(sheet, widths: list[int], header_row: int, rows: int, wrap: tuple[int, ...] = ()) -> None:
    thin = Side(style="thin", color="000000")
    last = get_column_letter(len(widths))
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(name="SimSun", size=15, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 28
    for index, width in enumerate(widths, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        heading = sheet[f"{letter}{header_row}"]
        heading.font = Font(bold=True)
        heading.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in range(header_row, header_row + rows + 1):
            cell: Any = sheet[f"{letter}{row}"]
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if index in wrap and row > header_row:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"1:{header_row}"
    setup = sheet.page_setup
    setup.orientation, setup.paperSize = "landscape", sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
