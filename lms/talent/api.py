"""Filings, the 汇总表 and the talent pool over the API (DESIGN §9)."""
from __future__ import annotations

from io import BytesIO

from flask import request, send_file

from lms.api.base import api_route, caller, json_body
from lms.api.openapi import schema
from lms.talent import pool, services, summary
from lms.talent.form import SYSTEM_FIELDS
from lms.talent.models import AchievementKind, FilingStatus, PoliticalStatus

WORK = {"type": "object", "required": ["from", "to", "employer", "job"],
        "properties": {"from": {"type": "string", "description": "YYYY-MM"},
                       "to": {"type": "string", "description": "YYYY-MM，至今为空字符串"},
                       "employer": {"type": "string"}, "job": {"type": "string"}}}
ACHIEVEMENT = {"type": "object", "required": ["kind", "title"],
               "properties": {"kind": {"enum": AchievementKind.values()}, "title": {"type": "string"},
                              "number": {"type": "string", "description": "标准编号（标准类）"},
                              "role": {"type": "string"}}}
PERSON_PROPERTIES = {
    "ethnicity": {"type": "string"}, "political_status": {"enum": ["", *PoliticalStatus.values()]},
    "email": {"type": "string"}, "title_name": {"type": "string"}, "school": {"type": "string"},
    "work_history": {"type": "array", "items": WORK}, "achievements": {"type": "array", "items": ACHIEVEMENT},
    "remarks": {"type": "string"},
}
FILING_FORM = schema("FilingForm", {
    "type": "object", "description": "备案表：系统项（只读，取自个人资料、企业、聘任和合格证）与本人填写项",
    "required": list(SYSTEM_FIELDS), "properties": {
        **{name: {"type": ["string", "boolean"], "readOnly": True} for name in SYSTEM_FIELDS}, **PERSON_PROPERTIES},
})
FILING_EDIT = schema("FilingEdit", {"type": "object", "properties": PERSON_PROPERTIES,
                                    "description": "本人填写项（给出的项被替换）；系统项被忽略"})
FILING = schema("Filing", {
    "type": "object", "required": ["id", "status", "appointment_id", "filing_no", "form"],
    "properties": {"id": {"type": "integer"}, "status": {"enum": FilingStatus.values()},
                   "appointment_id": {"type": "integer"}, "filing_no": {"type": ["string", "null"]},
                   "return_reason": {"type": "string"}, "form": FILING_FORM},
})
FILING_ID = [{"name": "filing_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
ENTRY = schema("TalentEntry", {
    "type": "object", "required": ["id", "filing_no", "name", "enterprise", "post_code", "accepted_on"],
    "properties": {"id": {"type": "integer"}, "filing_no": {"type": "string"}, "name": {"type": "string"},
                   "gender": {"type": "string"}, "id_number": {"type": "string", "description": "脱敏"},
                   "phone": {"type": "string", "description": "脱敏"}, "title_name": {"type": "string"},
                   "enterprise": {"type": "string"}, "region": {"type": "string"}, "post_code": {"type": "string"},
                   "post_title": {"type": "string"}, "industry": {"type": ["string", "null"]},
                   "accepted_on": {"type": "string", "format": "date"}, "in_post": {"type": "boolean"}},
})
POOL_PARAMETERS = [{"name": name, "in": "query", "schema": {"type": "string"}, "description": str(f.label)}
                   for name, f in pool.POOL_FILTERS.items()] + [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}}]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@api_route("/me/filings", "POST", summary="为本人的一项聘任新建备案表（按个人资料、合格证、聘任预填）", tags=["talent"],
           request=schema("NewFiling", {"type": "object", "required": ["appointment_id"],
                                        "properties": {"appointment_id": {"type": "integer"}}}),
           responses={"201": ("备案表（草稿）", FILING)}, errors=("400", "409", "422"))
def start():
    return services.filing_json(services.start_filing(caller(), json_body().get("appointment_id"))), 201


@api_route("/me/filings", "GET", summary="本人的备案表", tags=["talent"],
           responses={"200": ("备案表", {"type": "array", "items": FILING})})
def mine():
    return [services.filing_json(f) for f in services.own_filings(caller())]


@api_route("/filings/<int:filing_id>", "GET", summary="一份备案表（本人、企业人事、辖区市场监管部门）", tags=["talent"],
           parameters=FILING_ID, responses={"200": ("备案表", FILING)}, errors=("404",))
def get(filing_id: int):
    return services.filing_json(services.view_filing(caller(), filing_id))


@api_route("/filings/<int:filing_id>", "PUT", summary="填写草稿或被退回的备案表（本人）", tags=["talent"],
           parameters=FILING_ID, request=FILING_EDIT, responses={"200": ("备案表", FILING)},
           errors=("400", "403", "404", "409", "422"))
def put(filing_id: int):
    actor = caller()
    return services.filing_json(services.save_filing(actor, services.get_filing(actor, filing_id), json_body()))


def _step(filing_id: int, step) -> dict:
    actor = caller()
    return services.filing_json(step(actor, services.get_filing(actor, filing_id)))


@api_route("/filings/<int:filing_id>/submit", "POST", summary="提交（本人）：必填项齐全，合格证有效、聘任在职",
           tags=["talent"], parameters=FILING_ID, responses={"200": ("备案表", FILING)},
           errors=("403", "404", "409", "422"))
def submit(filing_id: int):
    return _step(filing_id, services.submit_filing)


@api_route("/filings/<int:filing_id>/endorse", "POST", summary="确认并报送（企业人事）", tags=["talent"],
           parameters=FILING_ID, responses={"200": ("备案表", FILING)}, errors=("403", "404", "409", "422"))
def endorse(filing_id: int):
    return _step(filing_id, services.endorse_filing)


@api_route("/filings/<int:filing_id>/accept", "POST",
           summary="受理入库（企业所在地市级以上市场监管部门、管理员）：返回备案编号 filing_no", tags=["talent"],
           parameters=FILING_ID, responses={"200": ("备案表", FILING)}, errors=("403", "404", "409", "422"))
def accept(filing_id: int):
    return _step(filing_id, services.accept_filing)


@api_route("/filings/<int:filing_id>/return", "POST", summary="退回本人修改（企业人事：待确认的；受理部门：待受理的）",
           tags=["talent"], parameters=FILING_ID,
           request=schema("FilingReturn", {"type": "object", "required": ["reason"],
                                           "properties": {"reason": {"type": "string"}}}),
           responses={"200": ("备案表", FILING)}, errors=("400", "403", "404", "409", "422"))
def return_(filing_id: int):
    actor = caller()
    reason = json_body().get("reason")
    return services.filing_json(services.return_filing(actor, services.get_filing(actor, filing_id), reason))


@api_route("/filings/<int:filing_id>/pdf", "GET", summary="备案表 PDF（A4，含签字盖章栏）", tags=["talent"],
           parameters=FILING_ID, responses={"200": "application/pdf"}, errors=("404",))
def pdf(filing_id: int):
    filing = services.get_filing(caller(), filing_id)
    return send_file(BytesIO(services.filing_pdf(filing)), mimetype="application/pdf",
                     download_name=f"filing-{filing.filing_no or filing.id}.pdf")


@api_route("/filings/summary.xlsx", "GET", summary="信息汇总表（Excel）：该地区已受理的备案（市场监管部门、管理员）",
           tags=["talent"], parameters=[
               {"name": "region", "in": "query", "required": True, "schema": {"type": "string"}},
               {"name": "year", "in": "query", "schema": {"type": "integer"}, "description": "受理年份"}],
           responses={"200": XLSX}, errors=("403", "404", "422"))
def summary_xlsx():
    name, data = summary.summary_workbook(caller(), request.args.get("region", ""),
                                          summary.parse_year(request.args.get("year")))
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)


@api_route("/talent-pool", "GET", summary="人才库检索（市场监管部门、管理员；辖区内）：身份证号码、手机号码脱敏",
           tags=["talent"], parameters=POOL_PARAMETERS,
           responses={"200": ("人才库", {"type": "object", "required": ["items", "total", "page"],
                                       "properties": {"items": {"type": "array", "items": ENTRY},
                                                      "total": {"type": "integer"}, "page": {"type": "integer"}}})},
           errors=("403", "422"))
def talent_pool():
    params = {name: request.args.get(name, "") for name in pool.POOL_FILTERS}
    page = pool.search_page(caller(), params, request.args.get("page"))
    return {"items": [pool.entry_row(entry) for entry in page.items], "total": page.total, "page": page.number}

