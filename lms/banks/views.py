"""Web pages for institution staff: banks, questions, the editor and imports."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("banks", __name__, template_folder="templates")
