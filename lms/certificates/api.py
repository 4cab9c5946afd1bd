"""Certificates: the holder's own, staff issuing and revoking, batch jobs, the public check."""
from __future__ import annotations

import io
from pathlib import Path

from flask import current_app, send_file, url_for
from flask_babel import lazy_gettext as _l

from lms.api.base import api_route, caller, json_body, text_field
from lms.api.openapi import schema
from lms.certificates import batch, services
from lms.certificates.enums import CertificateStatus, TokenState, Verdict
from lms.core import jobs
from lms.core.errors import NotFound
from lms.enrollment import services as enrollment

CERT_NO = [{"name": "cert_no", "in": "path", "required": True, "schema": {"type": "string"},
            "description": "证书编号，如 SH-2026-000123-K7Q4M9XR2-C"}]
STATUSES = list(CertificateStatus.values())
VERDICTS = list(Verdict.values())

CERTIFICATE = schema("Certificate", {
    "type": "object", "required": ["cert_no", "version", "status", "issued_on", "valid_until", "program_code", "pdf_url"],
    "properties": {
        "cert_no": {"type": "string"}, "version": {"type": "integer"}, "status": {"enum": STATUSES},
        "issued_on": {"type": "string", "format": "date"}, "valid_until": {"type": "string", "format": "date"},
        "program_code": {"type": "string"}, "pdf_url": {"type": "string"},
        "verify_url": {"type": "string", "description": "核验链接（与证书二维码相同），可分享"},
    },
})
VERIFICATION = schema("CertificateVerification", {
    "type": "object", "required": ["cert_no", "version", "status", "verdict", "token", "holder_name", "id_number",
                                   "program_code", "institution_name", "hours", "issued_on", "valid_until"],
    "properties": {
        "cert_no": {"type": "string"}, "version": {"type": "integer"}, "status": {"enum": STATUSES},
        "verdict": {"enum": VERDICTS, "description": (
            "核验结论，取所知最差者：记录状态（revoked、expired、superseded）；记录有效但二维码令牌或上传文件"
            "与记录不一致时为 suspect；否则 valid")},
        "token": {"enum": list(TokenState.values()), "description": (
            "查询参数 t（二维码中的令牌）与该版本的记录：valid 一致，invalid 不一致，absent 未给出")},
        "pdf_genuine": {"type": ["boolean", "null"], "description": "上传的 PDF 是否为颁发时的原始文件；未上传时为 null"},
        "status_label": {"type": "string"}, "holder_name": {"type": "string", "description": "脱敏姓名，如 张*明"},
        "id_number": {"type": "string", "description": "脱敏证件号码：保留前3位和后4位"},
        "program_code": {"type": "string"}, "program_title": {"type": "string"},
        "institution_code": {"type": "string"}, "institution_name": {"type": "string"}, "hours": {"type": "number"},
        "issued_on": {"type": "string", "format": "date"}, "valid_until": {"type": "string", "format": "date"},
        "revoked_reason": {"type": ["string", "null"]}, "revoked_on": {"type": ["string", "null"]},
        "superseded_on": {"type": ["string", "null"]},
        "token_matched": {"type": ["boolean", "null"],
                          "description": "查询参数 t（二维码中的令牌）是否与该版本一致；未给出 t 时为 null"},
    },
})
JOB = schema("Job", {
    "type": "object", "required": ["id", "kind", "status", "done", "total", "failures", "result_url"],
    "properties": {
        "id": {"type": "integer"}, "kind": {"type": "string"},
        "status": {"enum": list(jobs.JOB_STATUSES)}, "done": {"type": "integer"}, "total": {"type": "integer"},
        "failures": {"type": "array", "items": {"type": "object", "properties": {
            "item": {"type": "string"}, "reason": {"type": "string"}}}},
        "result_url": {"type": ["string", "null"], "description": "任务完成后全部证书 PDF 的 ZIP"},
        "message": {"type": "string"},
    },
})
REVOCATION = schema("Revocation", {"type": "object", "required": ["reason"],
                                   "properties": {"reason": {"type": "string", "description": "撤销理由，核验页面公开显示"}}})

def job_json(job: jobs.Job) -> dict:
    return {"id": job.id, "kind": job.kind, "status": job.status, "done": job.done, "total": job.total,
            "failures": job.failures or [], "message": job.message,
            "result_url": url_for("api.certificates_job_result", job_id=job.id) if job.result_path else None}


def _own_json(certificate) -> dict:
    return services.certificate_json(
        certificate, url_for("api.certificates_my_certificate_pdf", cert_no=certificate.cert_no),
        services.share_url(certificate))


@api_route("/me/certificates", "GET", summary="本人的合格证（含已替代的旧版本）", tags=["certificates"],
           responses={"200": ("合格证", {"type": "array", "items": CERTIFICATE})})
def my_certificates():
    return [_own_json(c) for c in services.own_certificates(caller())]


@api_route("/me/certificates/<cert_no>/pdf", "GET", summary="下载本人合格证 PDF（颁发时保存的原文件）",
           tags=["certificates"], parameters=CERT_NO,
           responses={"200": "application/pdf：颁发时保存的文件，与其 SHA-256 一致"}, errors=("404", "409"))
def my_certificate_pdf(cert_no: str):
    certificate = services.get_own_certificate(caller(), cert_no)
    return send_file(io.BytesIO(services.stored_pdf(certificate)), mimetype="application/pdf",
                     as_attachment=True, download_name=f"{certificate.cert_no}.pdf")


@api_route("/cohorts/<code>/certificates", "POST", summary="为班次批量颁发合格证（承办机构）：启动后台任务，返回 202",
           tags=["certificates"], parameters=[{"name": "code", "in": "path", "required": True,
                                               "schema": {"type": "string"}, "description": "班次编号"}],
           responses={"202": ("批量颁发任务", JOB)}, errors=("403", "404"))
def issue_for_cohort(code: str):
    job = batch.start(caller(), enrollment.get_cohort(caller(), code))
    return job_json(job), 202


@api_route("/jobs/<int:job_id>", "GET", summary="后台任务进度（本人创建的任务）", tags=["jobs"],
           responses={"200": ("任务", JOB)}, errors=("404",))
def job(job_id: int):
    return job_json(jobs.get_job(caller(), job_id))


@api_route("/jobs/<int:job_id>/result", "GET", summary="下载任务结果（批量颁发：全部证书 PDF 的 ZIP）", tags=["jobs"],
           responses={"200": "application/zip"}, errors=("404",))
def job_result(job_id: int):
    found = jobs.get_job(caller(), job_id)
    path = Path(current_app.instance_path) / (found.result_path or "")
    if not found.result_path or not path.is_file():
        raise NotFound(_l("该任务没有可下载的结果"))
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=path.name)


@api_route("/certificates/<cert_no>/revoke", "POST", summary="撤销合格证（发证机构）；理由公开显示，记入审计",
           tags=["certificates"], parameters=CERT_NO, request=REVOCATION,
           responses={"200": ("撤销后的核验结果", VERIFICATION)}, errors=("400", "403", "404", "409", "422"))
def revoke(cert_no: str):
    actor = caller()
    certificate = services.revoke(actor, services.get_certificate(actor, cert_no), text_field(json_body(), "reason"))
    return services.public_view(certificate)
