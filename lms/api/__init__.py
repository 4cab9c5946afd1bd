"""The JSON API under /api/v1. Endpoints are declared with api_route(), which registers
the Flask route and its OpenAPI operation together, so the document cannot fall behind."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def register_endpoints() -> None:
    # Importing the modules runs their api_route() declarations.
    from lms.api import auth, banks, certificates, docs, enrollment, exams, me  # noqa: F401
