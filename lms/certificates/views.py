"""Certificate pages: the JWKS, the holder's certificates; staff pages in views_staff."""
from __future__ import annotations

import io

from flask import current_app, jsonify, render_template, send_file
from flask_login import current_user

from lms.web import role_required
from lms.certificates import bp, services
from lms.certificates.enums import CertificateStatus
from lms.certificates.signing import KeyStore
from lms.enrollment.cohorts import local_today


@bp.app_template_filter("cert_status_label")
def _status_label(status: str) -> str:
    member = CertificateStatus.get(status)
    return member.label if member else status


@bp.route("/.well-known/jwks.json")
def jwks():
    response = jsonify(KeyStore.for_app(current_app).jwks())
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers may fetch it from anywhere
    return response


@bp.route("/me/certificates")
@role_required("trainee")
def mine():
    certificates = services.own_certificates(current_user)
    log = services.verification_summary([c.id for c in certificates])
    return render_template("certificates/mine.html", certificates=certificates, log=log, today=local_today(),
                           share_url=services.share_url)


@bp.route("/me/certificates/<cert_no>/pdf")
@role_required("trainee")
def download(cert_no: str):
    certificate = services.get_own_certificate(current_user, cert_no)
    return send_file(io.BytesIO(services.stored_pdf(certificate)), mimetype="application/pdf",
                     as_attachment=True, download_name=f"{certificate.cert_no}.pdf")
