"""The baseline of bench/verify_load.py: a bare Flask app doing the verification page's one
indexed lookup (by certificate number) and answering a small HTML page. No limiter,
sessions, templates, masking rules or check log. Served by gunicorn:

    DATABASE_URL=... gunicorn -w 2 --chdir bench verify_bare:app
"""
import os
from html import escape

from flask import Flask
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=False)
LOOKUP = text("SELECT cert_no, status, holder_name, program_title, institution_name, issued_on, valid_until "
              "FROM certificates WHERE cert_no = :no")


@app.route("/bare/<cert_no>")
def bare(cert_no: str):
    with engine.connect() as connection:
        row = connection.execute(LOOKUP, {"no": cert_no}).first()
    if row is None:
        return "<p>未找到该证书</p>", 404
    return (f"<!doctype html><meta charset=utf-8><h1>{escape(row.status)}</h1><p>{escape(row.cert_no)}</p>"
            f"<p>{escape(row.holder_name[:1])}*</p><p>{escape(row.program_title)}</p>"
            f"<p>{escape(row.institution_name)}</p><p>{row.issued_on} – {row.valid_until}</p>")
