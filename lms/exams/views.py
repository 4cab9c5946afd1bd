"""Web pages of exams: one blueprint, routes split by audience."""
from flask import Blueprint

bp = Blueprint("exams", __name__, template_folder="templates")

from lms.exams import views_grading, views_staff, views_trainee  # noqa: E402,F401
