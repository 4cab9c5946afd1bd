"""Public endpoints of the certificate signature: the JWKS of every signing key."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from lms.certificates.signing import KeyStore

bp = Blueprint("certificates", __name__)


@bp.route("/.well-known/jwks.json")
def jwks():
    response = jsonify(KeyStore.for_app(current_app).jwks())
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers may fetch it from anywhere
    return response
