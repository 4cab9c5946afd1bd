"""Targets and the yearly summary over the API (DESIGN §9); the same service as the page."""
from __future__ import annotations

from flask import request

from lms.api.base import api_route, caller
from lms.api.openapi import schema
from lms.reports import services
from lms.reports.metrics import METRICS

_COUNTS = {"type": "object", "description": "各指标的数值（口径见 docs/statistics.md）",
           "properties": {key: {"type": "integer", "minimum": 0} for key in services.YEAR_METRICS},
           "required": list(services.YEAR_METRICS)}
TARGET = schema("ReportTarget", {
    "type": "object",
    "required": ["id", "region_code", "metric", "title", "value", "deadline", "current", "progress", "projected",
                 "status"],
    "properties": {
        "id": {"type": "integer"}, "region_code": {"type": "string"}, "region_name": {"type": "string"},
        "metric": {"enum": list(METRICS)},
        "filters": {"type": "object", "properties": {"levels": {"type": "array", "items": {"type": "string"}},
                                                     "posts": {"type": "array", "items": {"type": "string"}}}},
        "title": {"type": "string"}, "value": {"type": "integer"},
        "starts_on": {"type": "string", "format": "date"}, "deadline": {"type": "string", "format": "date"},
        "current": {"type": "integer", "description": "今天的数值"},
        "at_deadline": {"type": "integer", "description": "截止日的数值（未到截止日为今天的数值）"},
        "progress": {"type": "number", "description": "截止日（或今天）数值 / 目标值"},
        "projected": {"type": "integer", "description": "按实际进度推算的截止日数值；截止日已过为截止日数值"},
        "status": {"enum": list(services.STATUS_LABELS)},
        "difference": {"type": "integer", "description": "截止日（或今天）数值减目标值"},
        "pace_needed": {"type": "number", "description": "每 30 天所需增量"},
        "pace_achieved": {"type": "number", "description": "每 30 天实际增量"}}})
SUMMARY = schema("ReportSummary", {
    "type": "object", "required": ["region", "year", "metrics", "by_region"],
    "properties": {
        "region": {"type": "object", "required": ["code", "name"],
                   "properties": {"code": {"type": "string"}, "name": {"type": "string"}}},
        "year": {"type": "integer"}, "first_day": {"type": "string", "format": "date"},
        "last_day": {"type": "string", "format": "date"}, "metrics": _COUNTS,
        "totals": {"type": "object", "description": "截至期末的累计人数",
                   "properties": {"certified_people": {"type": "integer"}, "filed_people": {"type": "integer"}}},
        "by_region": {"type": "array", "items": {
            "type": "object", "required": ["code", "name", "metrics"],
            "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "metrics": _COUNTS}}}}})


@api_route("/reports/targets", "GET", summary="辖区（及上级）的目标与完成情况（市场监管部门、管理员）", tags=["reports"],
           responses={"200": ("目标", {"type": "array", "items": TARGET})}, errors=("403",))
def targets():
    return [services.progress(t, with_points=False).as_json() for t in services.visible_targets(caller())]


@api_route("/reports/summary", "GET", summary="一个地区一年的统计数及各下级地区的统计数（市场监管部门、管理员）",
           tags=["reports"], parameters=[
               {"name": "region", "in": "query", "schema": {"type": "string"},
                "description": "地区代码；省略时为本局辖区（管理员：全部地区）"},
               {"name": "year", "in": "query", "schema": {"type": "integer"}, "description": "年度；省略时为今年"}],
           responses={"200": ("统计", SUMMARY)}, errors=("403", "404", "422"))
def summary():
    return services.summary(caller(), request.args.get("region"), request.args.get("year"))
