"""The public check over the API: GET /certificates/{cert_no} and the PDF check (no login)."""
from __future__ import annotations

from flask import current_app, request
from flask_babel import lazy_gettext as _l

from lms.api import openapi
from lms.api.base import api_route
from lms.certificates.api import CERT_NO, VERDICTS, VERIFICATION
from lms.certificates.enums import Channel
from lms.api.openapi import schema
from lms.core.errors import AppError, NotFound
from lms.extensions import limiter
from lms.verify import services

PDF_CHECK = schema("PdfCheck", {"type": "object", "required": ["genuine", "version", "verdict"],
                                "properties": {"genuine": {"type": "boolean"},
                                               "version": {"type": ["integer", "null"]},
                                               "verdict": {"enum": VERDICTS, "description": (
                                                   "核验结论：证书状态；记录有效而文件不是原始文件时为 suspect")}}})


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


VERIFY_SCOPE = "verify"
# page, API and PDF check share one budget (the page's fast path spends it directly: lms.verify.fast)
verify_limit = limiter.shared_limit(_verify_limit, scope=VERIFY_SCOPE)


def unknown_number() -> NotFound:
    """The one answer for any number not issued, whatever it looks like."""
    return NotFound(_l("未找到该证书编号"))


@api_route("/certificates/<path:cert_no>", "GET", summary="核验合格证（公开）：状态与脱敏信息；未知编号一律 404",
           tags=["verification"], auth=False, parameters=CERT_NO + [
               {"name": "t", "in": "query", "schema": {"type": "string"}, "description": "二维码链接中的令牌"}],
           responses={"200": ("核验结果", VERIFICATION)}, errors=("404", "429"))
@verify_limit
def verify(cert_no: str):
    view = services.check(cert_no, Channel.API, request.args.get("t"), ip=request.remote_addr,
                          user_agent=request.user_agent.string)
    if view is None:
        raise unknown_number()
    return view


@api_route("/certificates/<path:cert_no>/check-pdf", "POST", summary="上传 PDF，检查是否为该编号颁发的原始文件（公开）",
           tags=["verification"], auth=False, parameters=CERT_NO,
           responses={"200": ("检查结果", PDF_CHECK)}, errors=("400", "404", "429"))
@verify_limit
def check_pdf(cert_no: str):
    certificate = services.lookup(cert_no)
    if certificate is None:
        raise unknown_number()
    upload = request.files.get("file")
    if upload is None:
        raise AppError(_l("请以 multipart/form-data 上传字段 file（PDF 文件）"), {"file": _l("请选择 PDF 文件")})
    genuine, version = services.check_pdf(certificate, upload.read(), ip=request.remote_addr,
                                          user_agent=request.user_agent.string)
    view = services.full_view(certificate, pdf_genuine=genuine)
    return {"genuine": genuine, "version": version, "verdict": view["verdict"]}


openapi.PATHS["/certificates/{cert_no}/check-pdf"]["post"]["requestBody"] = {
    "required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}}}}
